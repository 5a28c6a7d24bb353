package dev.weir.model;

import groovy.lang.Closure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a task does when it runs. */
public sealed interface TaskAction {

  /**
   * A short name of the task kind, as written in scripts: {@code task}, {@code bash}, {@code
   * empty}.
   */
  String kind();

  /**
   * Groovy code run inside the worker; the closure receives a {@link TaskContext} and its return
   * value is the task's result.
   */
  record Code(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "task";
    }
  }

  /**
   * Groovy code that chooses which directly downstream tasks run: it returns a task id or a list of
   * them, and the others are skipped.
   */
  record Branch(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "branch";
    }
  }

  /** Groovy code whose false (Groovy truth) result skips every task downstream. */
  record ShortCircuit(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "shortCircuit";
    }
  }

  /**
   * A bash script run as a child process. {@code command}, the values of {@code environment} and
   * {@code workingDirectory} are templates rendered just before the task runs.
   *
   * @param pushLastLine whether the last line the command prints becomes the task's result
   */
  record Bash(
      String command,
      Map<String, String> environment,
      String workingDirectory,
      boolean pushLastLine)
      implements TaskAction {
    public Bash {
      environment = Map.copyOf(environment);
    }

    @Override
    public String kind() {
      return "bash";
    }

    /** The working directory, or null for a fresh temporary one. */
    public Path workingDirectoryPath() {
      return workingDirectory == null ? null : Path.of(workingDirectory);
    }
  }

  /** Does nothing; useful to join or fan out branches. */
  record Empty() implements TaskAction {
    @Override
    public String kind() {
      return "empty";
    }
  }

  /** Waits until a condition holds: see {@link SensorCheck} for the kinds. */
  record Sensor(SensorCheck check, SensorOptions options) implements TaskAction {
    @Override
    public String kind() {
      return check.kind();
    }
  }

  /**
   * Creates a manual run of another DAG and, with {@code waitForCompletion}, waits until it ends.
   *
   * @param dagId a template: the DAG to run
   * @param conf the run's configuration; string values (also nested ones) are templates
   * @param logicalDate a template giving the run's logical date, or null for the time of the
   *     trigger
   * @param allowedStates run states that end the wait with success
   * @param failedStates run states that end the wait with failure
   * @param options how the wait pokes and for how long
   */
  record TriggerDagRun(
      String dagId,
      Map<String, Object> conf,
      String logicalDate,
      boolean waitForCompletion,
      java.util.List<String> allowedStates,
      java.util.List<String> failedStates,
      SensorOptions options)
      implements TaskAction {
    public TriggerDagRun {
      conf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
      allowedStates = java.util.List.copyOf(allowedStates);
      failedStates = java.util.List.copyOf(failedStates);
    }

    @Override
    public String kind() {
      return "triggerDagRun";
    }
  }

  /**
   * SQL statements run in order in one transaction against a connection; the rows of the last
   * query, at most {@code maxRows}, are the result.
   */
  record Sql(String conn, SqlText sql, int maxRows) implements TaskAction {
    @Override
    public String kind() {
      return "sql";
    }
  }

  /**
   * Copies the rows of a query on connection {@code source} into {@code table} on connection {@code
   * target}, in JDBC batches of {@code batchSize}, after {@code preSql} (nullable, a template) in
   * the same target transaction. The result is the number of rows copied.
   */
  record SqlToSql(
      String source, SqlText query, String target, String table, int batchSize, String preSql)
      implements TaskAction {
    @Override
    public String kind() {
      return "sqlToSql";
    }
  }

  /**
   * An HTTP request. {@code url}, {@code endpoint}, header values, {@code body} and the strings in
   * {@code json} are templates.
   *
   * @param conn the connection that gives the base URL, or null when {@code url} is given
   * @param url a full URL, or null
   * @param body the request body, or null
   * @param json a value sent as JSON (maps, lists, strings, numbers), or null
   * @param expectStatus the accepted status codes; empty means any 2xx
   * @param responseAs {@code json}, {@code text}, {@code none}, or {@code auto} (JSON when the
   *     response says it is)
   */
  record Http(
      String conn,
      String url,
      String method,
      String endpoint,
      Map<String, String> headers,
      String body,
      Object json,
      List<Integer> expectStatus,
      String responseAs,
      Duration timeout,
      int maxResponseBytes)
      implements TaskAction {
    public Http {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      expectStatus = List.copyOf(expectStatus);
    }

    @Override
    public String kind() {
      return "http";
    }
  }

  /**
   * A Python script or module run as a child process. {@code args}, the values of {@code
   * environment} and {@code workingDirectory} are templates.
   *
   * @param script the absolute path of the script, or null when {@code module} is given
   * @param module a module run with {@code python -m}, or null
   * @param interpreter the Python program, such as {@code python3} or {@code /opt/venv/bin/python}
   * @param pythonPath a folder put first on {@code PYTHONPATH} (the DAGs folder), or null
   * @param returnLastLine whether the last line printed is the task's result
   */
  record Python(
      String script,
      String module,
      List<String> args,
      String interpreter,
      Map<String, String> environment,
      String workingDirectory,
      String pythonPath,
      boolean returnLastLine)
      implements TaskAction {
    public Python {
      args = List.copyOf(args);
      environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    @Override
    public String kind() {
      return "python";
    }
  }

  /**
   * An email sent through an SMTP connection. Addresses, {@code subject} and {@code body} are
   * templates.
   *
   * @param from the sender, or null for the connection's {@code from} extra (or its login)
   */
  record Email(
      String conn,
      List<String> to,
      List<String> cc,
      List<String> bcc,
      String from,
      String subject,
      String body,
      boolean html)
      implements TaskAction {
    public Email {
      to = List.copyOf(to);
      cc = List.copyOf(cc);
      bcc = List.copyOf(bcc);
    }

    @Override
    public String kind() {
      return "email";
    }
  }

  /**
   * A user's {@link Operator}: a Groovy class of the DAGs folder's {@code lib/} or one made by a
   * plugin.
   *
   * @param name what the operator is, for logs: its plugin's name or its class's name
   */
  record Custom(Operator operator, String name) implements TaskAction {
    @Override
    public String kind() {
      return "operator";
    }
  }
}
