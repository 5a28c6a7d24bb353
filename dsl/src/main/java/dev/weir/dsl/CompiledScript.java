package dev.weir.dsl;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovySystem;
import groovy.lang.Script;
import java.io.IOException;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * One DAG script compiled in a class loader of its own. Close it when the file changes or
 * disappears, so its classes can be unloaded.
 */
public final class CompiledScript implements AutoCloseable {
  private final String file;
  private final String sha256;
  private final GroovyClassLoader loader;
  private final Class<? extends Script> scriptClass;
  private final ScriptLocation location;

  CompiledScript(
      String file,
      String sha256,
      GroovyClassLoader loader,
      Class<? extends Script> scriptClass,
      ScriptLocation location) {
    this.file = file;
    this.sha256 = sha256;
    this.loader = loader;
    this.scriptClass = scriptClass;
    this.location = location;
  }

  /** Where the script is on disk, or null when it was not read from a file. */
  ScriptLocation location() {
    return location;
  }

  /** The script's path as shown to users. */
  public String file() {
    return file;
  }

  /** The hex SHA-256 of the script's text. */
  public String sha256() {
    return sha256;
  }

  Class<? extends Script> scriptClass() {
    return scriptClass;
  }

  /** How many classes the script compiled to (the script, its closures, its own classes). */
  public int classCount() {
    return loader.getLoadedClasses().length;
  }

  @Override
  public void close() {
    // Groovy keeps meta classes of loaded classes in a global registry; drop them so the loader
    // and its classes become unreachable.
    for (Class<?> type : loader.getLoadedClasses()) {
      GroovySystem.getMetaClassRegistry().removeMetaClass(type);
      InvokerHelper.removeClass(type);
    }
    loader.clearCache();
    try {
      loader.close();
    } catch (IOException e) {
      // Nothing was opened from files; there is nothing to release.
    }
  }
}
