package dev.weir.template;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Reads record components and public getters by property name, with accessors cached per class. */
final class Properties {
  /** Returned when an object has no property of the given name. */
  static final Object MISSING = new Object();

  private static final ClassValue<Map<String, Method>> ACCESSORS =
      new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
          return scan(type);
        }
      };

  private Properties() {}

  static Object read(Object target, String name) {
    Method accessor = ACCESSORS.get(target.getClass()).get(name);
    if (accessor == null) {
      return MISSING;
    }
    try {
      return accessor.invoke(target);
    } catch (IllegalAccessException e) {
      return MISSING;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "reading '" + name + "' of " + target.getClass().getName() + " failed: " + e.getCause(),
          e.getCause());
    }
  }

  static java.util.Set<String> names(Class<?> type) {
    return ACCESSORS.get(type).keySet();
  }

  private static Map<String, Method> scan(Class<?> type) {
    Map<String, Method> accessors = new TreeMap<>();
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        Method m = accessible(type, component.getAccessor());
        if (m != null) {
          accessors.put(component.getName(), m);
        }
      }
      return Collections.unmodifiableMap(accessors);
    }
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      String property = propertyName(m);
      if (property != null) {
        Method usable = accessible(type, m);
        if (usable != null) {
          accessors.putIfAbsent(property, usable);
        }
      }
    }
    return Collections.unmodifiableMap(accessors);
  }

  private static String propertyName(Method m) {
    String name = m.getName();
    String rest;
    if (name.startsWith("get") && name.length() > 3 && m.getReturnType() != void.class) {
      rest = name.substring(3);
    } else if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == boolean.class) {
      rest = name.substring(2);
    } else {
      return null;
    }
    if (!Character.isUpperCase(rest.charAt(0))) {
      return null;
    }
    // Bean rules: getURL -> URL, getRegion -> region.
    if (rest.length() > 1 && Character.isUpperCase(rest.charAt(1))) {
      return rest;
    }
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  /**
   * A public method of a non-public class (a JDK-internal Map entry, a package-private record) must
   * be called through a public declaration, or made accessible where the module allows it.
   */
  private static Method accessible(Class<?> type, Method m) {
    if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
      return m;
    }
    Method inPublicType = findInPublicSupertype(type, m.getName());
    if (inPublicType != null) {
      return inPublicType;
    }
    return m.trySetAccessible() ? m : null;
  }

  private static Method findInPublicSupertype(Class<?> type, String name) {
    if (type == null) {
      return null;
    }
    if (Modifier.isPublic(type.getModifiers())) {
      try {
        return type.getMethod(name);
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
    for (Class<?> iface : type.getInterfaces()) {
      Method m = findInPublicSupertype(iface, name);
      if (m != null) {
        return m;
      }
    }
    return findInPublicSupertype(type.getSuperclass(), name);
  }
}
