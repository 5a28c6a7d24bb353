package dev.weir.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The environment variables a command line sees: the process's, or the ones a test gives {@link
 * Main#run}. Commands read them from here (option defaults, {@link dev.weir.config.Settings}),
 * never from {@code System.getenv}.
 */
final class Environment {
  private Environment() {}

  /** Marks an option whose default is this variable's value when it is set. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface Variable {
    String value();
  }

  /** The environment of the command line this command belongs to. */
  static Map<String, String> of(CommandSpec command) {
    return ((WeirCommand) command.root().userObject()).environment();
  }

  /**
   * Defaults of options marked {@link Variable} from this environment; the option's own default
   * when the variable is not set.
   */
  static IDefaultValueProvider defaults(Map<String, String> environment) {
    return arg -> {
      if (arg.userObject() instanceof Field field && field.isAnnotationPresent(Variable.class)) {
        String value = environment.get(field.getAnnotation(Variable.class).value());
        return value == null || value.isBlank() ? null : value;
      }
      return null;
    };
  }
}
