package dev.weir.dsl;

import dev.weir.model.DagSpec;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Compiles DAG scripts and runs them into {@link DagSpec}s. Every problem becomes a {@link
 * DagDefinitionException} naming the file and line. Thread-safe; runs scripts in the calling
 * thread, and a script stops when that thread is interrupted (loops check for it).
 */
public final class DagScriptCompiler {
  private final CompilerConfiguration configuration;

  public DagScriptCompiler() {
    configuration = new CompilerConfiguration();
    configuration.setScriptBaseClass(WeirScript.class.getName());
    configuration.setSourceEncoding(StandardCharsets.UTF_8.name());
    ImportCustomizer imports = new ImportCustomizer();
    imports.addImports("java.time.Duration", "java.time.LocalDate", "java.time.Instant");
    configuration.addCompilationCustomizers(
        imports, new ASTTransformationCustomizer(ThreadInterrupt.class), new ScriptRules());
  }

  /** Compiles and runs a script in one go, in a class loader whose parent is this class's. */
  public List<DagSpec> load(String file, String source) {
    CompiledScript compiled = compile(file, source, DagScriptCompiler.class.getClassLoader());
    try {
      return evaluate(compiled);
    } catch (RuntimeException e) {
      compiled.close();
      throw e;
    }
  }

  /**
   * Compiles a script in a new class loader.
   *
   * @param file the path shown to users in errors, such as {@code dags/etl.groovy}
   * @throws DagDefinitionException on a syntax error or a forbidden call
   */
  public CompiledScript compile(String file, String source, ClassLoader parent) {
    return compile(file, source, parent, null);
  }

  /**
   * Compiles a script read from a file in a new class loader that also sees the Groovy classes of
   * the location's {@code lib/} folders (compiled with the script, so each compile reads them
   * afresh).
   *
   * @param location where the script is on disk, or null
   * @throws DagDefinitionException on a syntax error or a forbidden call, in the script or lib
   */
  public CompiledScript compile(
      String file, String source, ClassLoader parent, ScriptLocation location) {
    String sha256 = sha256(source);
    GroovyClassLoader loader = new GroovyClassLoader(parent, configuration);
    if (location != null) {
      for (Path lib : location.libraries()) {
        if (java.nio.file.Files.isDirectory(lib)) {
          loader.addClasspath(lib.toString());
        }
      }
    }
    GroovyCodeSource code = new GroovyCodeSource(source, scriptFileName(file), "/weir/dags");
    code.setCachable(false);
    try {
      Class<?> type = loader.parseClass(code, false);
      if (!WeirScript.class.isAssignableFrom(type)) {
        throw new DagDefinitionException(
            file, 0, "a DAG script must be a script, not a class declaration", null);
      }
      return new CompiledScript(file, sha256, loader, type.asSubclass(Script.class), location);
    } catch (MultipleCompilationErrorsException e) {
      closeQuietly(loader);
      throw compileError(file, source, e);
    } catch (RuntimeException | LinkageError e) {
      closeQuietly(loader);
      throw new DagDefinitionException(file, 0, "cannot compile: " + e, e);
    }
  }

  /**
   * Runs a compiled script and returns the DAGs it defines, in the order it defines them.
   *
   * @throws DagDefinitionException when the script misuses the DSL or fails
   */
  public List<DagSpec> evaluate(CompiledScript compiled) {
    String file = compiled.file();
    String fileName = scriptFileName(file);
    DslSession session =
        new DslSession(
            file,
            fileName,
            compiled.sha256(),
            compiled.location(),
            compiled.scriptClass().getClassLoader());
    try {
      WeirScript script =
          (WeirScript) compiled.scriptClass().getDeclaredConstructor().newInstance();
      script.setBinding(new Binding());
      script.attach(session);
      script.run();
    } catch (DslException e) {
      throw new DagDefinitionException(
          file, ScriptLines.firstScriptLine(e, fileName), e.getMessage(), e);
    } catch (MissingMethodException | MissingPropertyException e) {
      DslException explained = UnknownNames.explain(e, session).orElse(null);
      if (explained != null) {
        throw new DagDefinitionException(file, explained.line(), explained.getMessage(), e);
      }
      throw failed(file, fileName, e);
    } catch (ReflectiveOperationException e) {
      throw new DagDefinitionException(file, 0, "cannot create the script: " + e, e);
    } catch (StackOverflowError e) {
      throw new DagDefinitionException(
          file, ScriptLines.firstScriptLine(e, fileName), "the script recursed without end", e);
    } catch (Throwable e) { // NOPMD: a script may throw anything, including checked exceptions
      if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
        Thread.currentThread().interrupt();
        throw new DagDefinitionException(file, 0, "the script was interrupted", e);
      }
      if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
        throw vm;
      }
      throw failed(file, fileName, e);
    }
    return session.dags().stream().map(DagBuilder::spec).toList();
  }

  /** The hex SHA-256 of a script's text, as recorded with each DAG version. */
  public static String sha256(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static DagDefinitionException failed(String file, String fileName, Throwable e) {
    String what =
        e.getMessage() == null
            ? e.getClass().getName()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new DagDefinitionException(
        file, ScriptLines.firstScriptLine(e, fileName), "the script failed: " + what, e);
  }

  private static DagDefinitionException compileError(
      String file, String source, MultipleCompilationErrorsException e) {
    List<? extends Message> errors = e.getErrorCollector().getErrors();
    Message first = errors.isEmpty() ? null : errors.get(0);
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : "";
    if (first instanceof SyntaxErrorMessage syntax) {
      SyntaxException cause = syntax.getCause();
      int lastLine = (int) source.stripTrailing().lines().count();
      if (cause.getLine() > lastLine) {
        return new DagDefinitionException(
            file,
            Math.max(lastLine, 1),
            "the script ends inside a block: a '}' or ')' is missing" + more,
            e);
      }
      return new DagDefinitionException(
          file,
          cause.getLine(),
          readable(cause.getOriginalMessage()) + " (column " + cause.getStartColumn() + ")" + more,
          e);
    }
    if (first instanceof ExceptionMessage exception) {
      return new DagDefinitionException(
          file, 0, "cannot compile: " + exception.getCause().getMessage() + more, e);
    }
    if (first instanceof SimpleMessage simple) {
      return new DagDefinitionException(file, 0, simple.getMessage() + more, e);
    }
    return new DagDefinitionException(file, 0, e.getMessage(), e);
  }

  /**
   * Groovy's parser quotes everything from the start of the failing rule to the error, which can
   * span many lines; keep the last line of it, where the error is.
   */
  private static String readable(String message) {
    String text = message.trim();
    String prefix = "Unexpected input: '";
    if (text.startsWith(prefix) && text.endsWith("'")) {
      String quoted = text.substring(prefix.length(), text.length() - 1).replace("\\n", "\n");
      String[] lines = quoted.split("\n");
      String last = lines[lines.length - 1].trim();
      if (last.length() > 60) {
        last = "…" + last.substring(last.length() - 60);
      }
      return "syntax error: unexpected input at '" + last + "'";
    }
    return text;
  }

  private static String scriptFileName(String file) {
    Path name = Path.of(file).getFileName();
    return name == null ? file : name.toString();
  }

  private static void closeQuietly(GroovyClassLoader loader) {
    try {
      loader.close();
    } catch (java.io.IOException ignored) {
      // Nothing to release for a loader that read no files.
    }
  }
}
