package dev.weir.dsl;

import dev.weir.model.Callback;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import java.util.List;
import java.util.Map;

/**
 * The base class of every DAG script: it gives the script its one top-level keyword, {@code
 * dag('id') { … }}. A script may define several DAGs, also in loops.
 */
public abstract class WeirScript extends Script {
  private DslSession session;

  void attach(DslSession session) {
    this.session = session;
  }

  DslSession session() {
    if (session == null) {
      throw new IllegalStateException("DAG scripts are run by DagScriptCompiler");
    }
    return session;
  }

  /** Defines a DAG: its settings, tasks and dependencies are declared in the block. */
  public void dag(
      String id,
      @DelegatesTo(value = DagBuilder.class, strategy = Closure.DELEGATE_FIRST) Closure<?> block) {
    DslSession current = session();
    if (current.currentBlock() != null) {
      throw new DslException(
          "dag(…) cannot be nested inside " + current.currentBlock().description());
    }
    String dagId = Names.requireId("dag", id);
    DagBuilder builder = new DagBuilder(current, dagId, current.currentLine());
    current.addDag(builder);
    builder.configure(builder, block, "dag '" + dagId + "'", DagBuilder.KEYWORDS);
    builder.markDefined();
  }

  /**
   * A notifier that sends an email, to share between DAGs: {@code def oncall = email(to:
   * 'oncall@example.org')}.
   */
  public Callback.Email email(Map<String, ?> named) {
    return Notifiers.email(named);
  }

  /** A notifier that posts to a webhook, to share between DAGs. */
  public Callback.Webhook webhook(Map<String, ?> named) {
    return Notifiers.webhook(named);
  }

  static List<String> keywords() {
    return List.of("dag", "email", "webhook");
  }
}
