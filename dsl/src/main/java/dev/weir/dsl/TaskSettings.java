package dev.weir.dsl;

import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Callbacks;
import dev.weir.model.MapSource;
import dev.weir.model.TriggerRule;
import groovy.lang.Closure;
import groovy.transform.stc.ClosureParams;
import groovy.transform.stc.SimpleType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings every task kind has. Used for a task's own settings and for {@code defaults { … }}; an
 * unset value falls back to the enclosing defaults, then to Weir's defaults.
 */
public class TaskSettings {
  static final List<String> KEYWORDS =
      List.of(
          "retries",
          "retryDelay",
          "retryExponentialBackoff",
          "maxRetryDelay",
          "executionTimeout",
          "triggerRule",
          "dependsOnPast",
          "priorityWeight",
          "pool",
          "queue",
          "owner",
          "doc",
          "expand",
          "outlets",
          "dataset",
          "onSuccess",
          "onFailure",
          "onRetry",
          "onSkipped",
          "email",
          "emailOnFailure",
          "emailOnRetry",
          "webhook");
  private static final List<CallbackEvent> TASK_EVENTS =
      Arrays.stream(CallbackEvent.values()).filter(CallbackEvent::taskLevel).toList();

  private static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(5);
  private static final List<String> TRIGGER_RULES =
      Arrays.stream(TriggerRule.values()).map(TriggerRule::scriptName).toList();

  private final TaskSettings parent;
  private Integer retries;
  private Duration retryDelay;
  private Boolean retryExponentialBackoff;
  private Duration maxRetryDelay;
  private Duration executionTimeout;
  private TriggerRule triggerRule;
  private Boolean dependsOnPast;
  private Integer priorityWeight;
  private String pool;
  private String queue;
  private String owner;
  private String doc;
  private MapSource expand;
  private List<Object> outlets;
  private final Map<CallbackEvent, List<Callback>> callbacks = new EnumMap<>(CallbackEvent.class);
  private List<String> email;
  private Boolean emailOnFailure;
  private Boolean emailOnRetry;

  TaskSettings(TaskSettings parent) {
    this.parent = parent;
  }

  /** How many times a failed task is tried again (default 0). */
  public void retries(Object value) {
    retries = nonNegative("retries", value);
  }

  /** How long to wait before a retry, such as {@code 5.minutes} (default 5 minutes). */
  public void retryDelay(Object value) {
    retryDelay = duration("retryDelay", value);
  }

  /** Doubles the retry delay after each retry (default false). */
  public void retryExponentialBackoff(Object value) {
    retryExponentialBackoff = bool("retryExponentialBackoff", value);
  }

  /** The longest retry delay exponential backoff may reach. */
  public void maxRetryDelay(Object value) {
    maxRetryDelay = duration("maxRetryDelay", value);
  }

  /** How long one try may run before it is stopped and fails. */
  public void executionTimeout(Object value) {
    executionTimeout = duration("executionTimeout", value);
  }

  /** When the task may run, judged from its upstream tasks, such as {@code 'all_done'}. */
  public void triggerRule(Object value) {
    if (value instanceof TriggerRule rule) {
      triggerRule = rule;
      return;
    }
    String name = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (!TRIGGER_RULES.contains(name)) {
      throw new DslException(
          "unknown trigger rule '"
              + value
              + "'"
              + Names.didYouMean(name, TRIGGER_RULES)
              + " (trigger rules: "
              + String.join(", ", TRIGGER_RULES)
              + ")");
    }
    triggerRule = TriggerRule.valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Runs only when this task succeeded (or was skipped) in the previous run. */
  public void dependsOnPast(Object value) {
    dependsOnPast = bool("dependsOnPast", value);
  }

  /** A higher weight runs first when slots are scarce (default 1). */
  public void priorityWeight(Object value) {
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new DslException("priorityWeight takes a whole number, got " + Names.describe(value));
    }
    priorityWeight = ((Number) value).intValue();
  }

  /** The pool whose slots the task takes (default {@code default_pool}). */
  public void pool(Object value) {
    pool = text("pool", value);
  }

  /** The queue of workers that may run the task (default {@code default}). */
  public void queue(Object value) {
    queue = text("queue", value);
  }

  /** Who answers for the task. */
  public void owner(Object value) {
    owner = text("owner", value);
  }

  /** Markdown documentation shown with the task. */
  public void doc(Object value) {
    doc = text("doc", value);
  }

  /**
   * Runs the task once per item: over a list written here ({@code expand ['a', 'b']}) or over the
   * list an upstream task returns ({@code expand findFiles}, which also makes it upstream). Each
   * instance reads its item as {@code ctx.item} or {@code {{ item }}}.
   */
  public void expand(Object value) {
    if (value instanceof TaskRef ref) {
      expand = new MapSource.Upstream(ref.getId());
    } else if (value instanceof java.util.List<?> items) {
      expand = new MapSource.Literal(new java.util.ArrayList<>(items));
    } else {
      throw new DslException(
          "expand takes a list such as ['a', 'b'] or an upstream task whose result is a list, got "
              + Names.describe(value));
    }
  }

  /**
   * The datasets a successful try of this task updates: {@code outlets dataset('s3://b/x')}, or
   * several, {@code outlets dataset('a'), dataset('b')}. DAGs scheduled on them then run.
   */
  public void outlets(Object... values) {
    if (outlets == null) {
      outlets = new ArrayList<>();
    }
    for (Object value : values) {
      if (value instanceof Collection<?> many) {
        outlets.addAll(many);
      } else {
        outlets.add(value);
      }
    }
  }

  /** A dataset named by its URI, such as {@code dataset('file:///data/sales.csv')}. */
  public DatasetRef dataset(Object uri) {
    return TaskContainer.datasetRef(uri);
  }

  /** Runs when an instance of the task succeeds: {@code onSuccess { ctx -> … }}. */
  public void onSuccess(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    addCallbacks(CallbackEvent.TASK_SUCCESS, callback);
  }

  /** {@code onSuccess email(to: …), webhook(…)}, or a list of callbacks. */
  public void onSuccess(Object... callbacks) {
    addCallbacks(CallbackEvent.TASK_SUCCESS, callbacks);
  }

  /** Runs when an instance fails with no tries left: {@code onFailure { ctx -> … }}. */
  public void onFailure(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    addCallbacks(CallbackEvent.TASK_FAILURE, callback);
  }

  /** {@code onFailure email(to: …), webhook(…)}, or a list of callbacks. */
  public void onFailure(Object... callbacks) {
    addCallbacks(CallbackEvent.TASK_FAILURE, callbacks);
  }

  /** Runs when a try fails and the task will be tried again: {@code onRetry { ctx -> … }}. */
  public void onRetry(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    addCallbacks(CallbackEvent.TASK_RETRY, callback);
  }

  /** {@code onRetry email(to: …), webhook(…)}, or a list of callbacks. */
  public void onRetry(Object... callbacks) {
    addCallbacks(CallbackEvent.TASK_RETRY, callbacks);
  }

  /** Runs when the task's own try skips it (a short circuit, a skip from its code). */
  public void onSkipped(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    addCallbacks(CallbackEvent.TASK_SKIPPED, callback);
  }

  /** {@code onSkipped email(to: …), webhook(…)}, or a list of callbacks. */
  public void onSkipped(Object... callbacks) {
    addCallbacks(CallbackEvent.TASK_SKIPPED, callbacks);
  }

  /**
   * Adds callbacks for an event; the first call in a block replaces what defaults set for it, so
   * {@code onFailure([])} turns inherited ones off.
   */
  private void addCallbacks(CallbackEvent event, Object... values) {
    callbacks
        .computeIfAbsent(event, e -> new ArrayList<>())
        .addAll(CallbackValues.of(event.setting(), values));
  }

  /**
   * Who is emailed when the task fails or is retried, as Airflow's {@code email}: {@code email
   * 'oncall@example.org'} or a list. See {@code emailOnFailure} and {@code emailOnRetry}.
   */
  public void email(Object... addresses) {
    email = Notifiers.recipients("email", addresses);
  }

  /** A notifier that sends an email: {@code email(to: 'a@x.io', subject: '…', conn: 'smtp')}. */
  public Callback.Email email(Map<String, ?> named) {
    return Notifiers.email(named);
  }

  /** A notifier that posts to a webhook: {@code webhook(conn: 'slack')} or {@code url: '…'}. */
  public Callback.Webhook webhook(Map<String, ?> named) {
    return Notifiers.webhook(named);
  }

  /** Whether {@code email} gets a message when the task fails (default true). */
  public void emailOnFailure(Object value) {
    emailOnFailure = bool("emailOnFailure", value);
  }

  /** Whether {@code email} gets a message when the task is retried (default true). */
  public void emailOnRetry(Object value) {
    emailOnRetry = bool("emailOnRetry", value);
  }

  /** The outlets this task's own settings list (defaults have none), unchecked; null if unset. */
  List<Object> ownOutlets() {
    return outlets;
  }

  /** Applies named arguments such as {@code task('x', retries: 2) { … }}. */
  void apply(Map<?, ?> named) {
    for (Map.Entry<?, ?> entry : named.entrySet()) {
      set(String.valueOf(entry.getKey()), entry.getValue());
    }
  }

  /** Sets one setting by name; subclasses add their own names. */
  void set(String name, Object value) {
    switch (name) {
      case "retries" -> retries(value);
      case "retryDelay" -> retryDelay(value);
      case "retryExponentialBackoff" -> retryExponentialBackoff(value);
      case "maxRetryDelay" -> maxRetryDelay(value);
      case "executionTimeout" -> executionTimeout(value);
      case "triggerRule" -> triggerRule(value);
      case "dependsOnPast" -> dependsOnPast(value);
      case "priorityWeight" -> priorityWeight(value);
      case "pool" -> pool(value);
      case "queue" -> queue(value);
      case "owner" -> owner(value);
      case "doc" -> doc(value);
      case "expand" -> expand(value);
      case "outlets" -> outlets(value);
      case "onSuccess" -> onSuccess(value);
      case "onFailure" -> onFailure(value);
      case "onRetry" -> onRetry(value);
      case "onSkipped" -> onSkipped(value);
      case "email" -> email(value);
      case "emailOnFailure" -> emailOnFailure(value);
      case "emailOnRetry" -> emailOnRetry(value);
      default ->
          throw new DslException(
              "unknown task setting '" + name + "'" + Names.didYouMean(name, keywords()));
    }
  }

  List<String> keywords() {
    return KEYWORDS;
  }

  int resolvedRetries() {
    return retries != null ? retries : parent != null ? parent.resolvedRetries() : 0;
  }

  Duration resolvedRetryDelay() {
    return retryDelay != null
        ? retryDelay
        : parent != null ? parent.resolvedRetryDelay() : DEFAULT_RETRY_DELAY;
  }

  boolean resolvedRetryExponentialBackoff() {
    return retryExponentialBackoff != null
        ? retryExponentialBackoff
        : parent != null && parent.resolvedRetryExponentialBackoff();
  }

  Duration resolvedMaxRetryDelay() {
    return maxRetryDelay != null
        ? maxRetryDelay
        : parent != null ? parent.resolvedMaxRetryDelay() : null;
  }

  Duration resolvedExecutionTimeout() {
    return executionTimeout != null
        ? executionTimeout
        : parent != null ? parent.resolvedExecutionTimeout() : null;
  }

  TriggerRule resolvedTriggerRule() {
    return triggerRule != null
        ? triggerRule
        : parent != null ? parent.resolvedTriggerRule() : TriggerRule.ALL_SUCCESS;
  }

  boolean resolvedDependsOnPast() {
    return dependsOnPast != null ? dependsOnPast : parent != null && parent.resolvedDependsOnPast();
  }

  int resolvedPriorityWeight() {
    return priorityWeight != null
        ? priorityWeight
        : parent != null ? parent.resolvedPriorityWeight() : 1;
  }

  String resolvedPool() {
    return pool != null ? pool : parent != null ? parent.resolvedPool() : "default_pool";
  }

  String resolvedQueue() {
    return queue != null ? queue : parent != null ? parent.resolvedQueue() : "default";
  }

  String resolvedOwner() {
    return owner != null ? owner : parent != null ? parent.resolvedOwner() : "weir";
  }

  /**
   * The task's callbacks: for each event its own, else the inherited ones; then an email to {@code
   * email} on failure and on retry unless turned off, after the callbacks set for that event.
   */
  Callbacks resolvedCallbacks() {
    Map<CallbackEvent, List<Callback>> byEvent = new EnumMap<>(CallbackEvent.class);
    for (CallbackEvent event : TASK_EVENTS) {
      byEvent.put(event, new ArrayList<>(resolvedCallbacks(event)));
    }
    List<String> to = resolvedEmail();
    if (!to.isEmpty()) {
      if (resolvedEmailOnFailure()) {
        byEvent.get(CallbackEvent.TASK_FAILURE).add(new Callback.Email(to, null, null));
      }
      if (resolvedEmailOnRetry()) {
        byEvent.get(CallbackEvent.TASK_RETRY).add(new Callback.Email(to, null, null));
      }
    }
    return new Callbacks(byEvent);
  }

  private List<Callback> resolvedCallbacks(CallbackEvent event) {
    List<Callback> own = callbacks.get(event);
    return own != null ? own : parent != null ? parent.resolvedCallbacks(event) : List.of();
  }

  List<String> resolvedEmail() {
    return email != null ? email : parent != null ? parent.resolvedEmail() : List.of();
  }

  boolean resolvedEmailOnFailure() {
    return emailOnFailure != null
        ? emailOnFailure
        : parent == null || parent.resolvedEmailOnFailure();
  }

  boolean resolvedEmailOnRetry() {
    return emailOnRetry != null ? emailOnRetry : parent == null || parent.resolvedEmailOnRetry();
  }

  /** What the task is mapped over; never inherited from defaults. */
  MapSource ownExpand() {
    return expand;
  }

  String resolvedDoc() {
    // A group's or DAG's doc describes that group or DAG, not each of its tasks.
    return doc;
  }

  static Duration duration(String setting, Object value) {
    if (value instanceof Duration d) {
      if (d.isNegative()) {
        throw new DslException(setting + " must not be negative, got " + d);
      }
      return d;
    }
    if (value instanceof Number n && n.doubleValue() >= 0) {
      return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }
    throw new DslException(
        setting
            + " takes a duration such as 30.seconds, 5.minutes or 2.hours, got "
            + Names.describe(value));
  }

  static boolean bool(String setting, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new DslException(setting + " takes true or false, got " + Names.describe(value));
  }

  static int nonNegative(String setting, Object value) {
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).intValue();
    }
    throw new DslException(
        setting + " takes a whole number of 0 or more, got " + Names.describe(value));
  }

  static int positive(String setting, Object value) {
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0) {
      return ((Number) value).intValue();
    }
    throw new DslException(
        setting + " takes a whole number of 1 or more, got " + Names.describe(value));
  }

  static String text(String setting, Object value) {
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    throw new DslException(setting + " takes a string, got " + Names.describe(value));
  }
}
