package dev.weir.alerts;

import dev.weir.model.CallbackContext;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Connection;
import dev.weir.model.TaskLogger;
import dev.weir.secrets.Secrets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a code callback receives: the facts of its outbox row, connections and variables. */
final class EventContext implements CallbackContext {
  private static final Logger log = LoggerFactory.getLogger("dev.weir.alerts.Callback");

  private final EventFacts facts;
  private final String message;
  private final Secrets secrets;
  private final TaskLogger logger;

  EventContext(EventFacts facts, String message, Secrets secrets) {
    this.facts = facts;
    this.message = message;
    this.secrets = secrets;
    this.logger = new SchedulerLogger(prefix(facts));
  }

  /** {@code task_failure of daily_sales.load try 3 in run …}: names what a log line is about. */
  static String prefix(EventFacts facts) {
    String what =
        facts.taskId() == null
            ? facts.dagId()
            : facts.dagId() + "." + facts.instance() + " try " + facts.tryNumber();
    return facts.event().label() + " of " + what + " in run " + facts.runId();
  }

  @Override
  public CallbackEvent getEvent() {
    return facts.event();
  }

  @Override
  public String getDagId() {
    return facts.dagId();
  }

  @Override
  public String getRunId() {
    return facts.runId();
  }

  @Override
  public String getTaskId() {
    return facts.taskId();
  }

  @Override
  public int getMapIndex() {
    return facts.mapIndex();
  }

  @Override
  public int getTryNumber() {
    return facts.tryNumber();
  }

  @Override
  public String getState() {
    return facts.state();
  }

  @Override
  public String getException() {
    return facts.error();
  }

  @Override
  public List<String> getLogLines() {
    return facts.logLines();
  }

  @Override
  public String getLogUrl() {
    return facts.logUrl();
  }

  @Override
  public String getDs() {
    return facts.ds();
  }

  @Override
  public ZonedDateTime getLogicalDate() {
    return facts.logicalDate();
  }

  @Override
  public ZonedDateTime getDataIntervalStart() {
    return facts.intervalStart();
  }

  @Override
  public ZonedDateTime getDataIntervalEnd() {
    return facts.intervalEnd();
  }

  @Override
  public Map<String, Object> getParams() {
    return Collections.unmodifiableMap(facts.params());
  }

  @Override
  public Map<String, Object> getConf() {
    return Collections.unmodifiableMap(facts.conf());
  }

  @Override
  public List<String> getFailedTasks() {
    return facts.failedTasks();
  }

  @Override
  public Instant getDeadline() {
    return facts.deadline();
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public TaskLogger getLog() {
    return logger;
  }

  @Override
  public Connection connection(String id) {
    return secrets.connection(id);
  }

  @Override
  public String variable(String key) {
    return secrets.variable(key).orElseThrow(() -> Secrets.noVariable(key));
  }

  @Override
  public String toString() {
    return "CallbackContext[" + prefix(facts) + "]";
  }

  /** The scheduler's log, each line naming the callback's DAG, run and event. */
  private static final class SchedulerLogger implements TaskLogger {
    private final String prefix;

    SchedulerLogger(String about) {
      // A brace pair in an id must not become a placeholder.
      this.prefix = "Callback for " + about.replace("{}", "{ }") + ": ";
    }

    @Override
    public void debug(String message, Object... args) {
      log.debug(prefix + message, args);
    }

    @Override
    public void info(String message, Object... args) {
      log.info(prefix + message, args);
    }

    @Override
    public void warn(String message, Object... args) {
      log.warn(prefix + message, args);
    }

    @Override
    public void error(String message, Object... args) {
      log.error(prefix + message, args);
    }
  }
}
