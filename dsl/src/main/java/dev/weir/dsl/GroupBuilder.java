package dev.weir.dsl;

import dev.weir.model.CallbackEvent;
import java.util.List;

/** The delegate of {@code group('id') { … }}: declares tasks whose ids start with the group's. */
public final class GroupBuilder extends TaskContainer {
  static final List<String> KEYWORDS = TaskContainer.KEYWORDS;

  private final DagBuilder dag;
  private final String id;

  GroupBuilder(DslSession session, TaskSettings defaults, DagBuilder dag, String id) {
    super(session, defaults, id + ".");
    this.dag = dag;
    this.id = id;
  }

  /** The group's full id. */
  public String getId() {
    return id;
  }

  @Override
  void runCallbacks(CallbackEvent event, Object... values) {
    throw new DslException(
        event.setting()
            + " in "
            + where()
            + " is not a group setting: put it in the group's defaults { "
            + event.setting()
            + " … } for its tasks, or in the dag block for the whole run");
  }

  @Override
  String where() {
    return "group '" + id + "'";
  }

  @Override
  DagBuilder dagBuilder() {
    return dag;
  }
}
