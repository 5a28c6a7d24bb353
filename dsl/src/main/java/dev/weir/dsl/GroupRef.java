package dev.weir.dsl;

import java.util.List;

/**
 * A task group as a script holds it. Left of {@code >>} it stands for the group's last tasks (those
 * with no downstream task inside the group); right of it, for its first tasks.
 */
public final class GroupRef extends Node {
  private final DagBuilder dag;
  private final String id;
  private final String prefix;

  GroupRef(DagBuilder dag, String id, String prefix) {
    this.dag = dag;
    this.id = id;
    this.prefix = prefix;
  }

  /** The group's full id, such as {@code prep} or {@code prep.inner}. */
  public String getId() {
    return id;
  }

  @Override
  DagBuilder dag() {
    return dag;
  }

  @Override
  List<String> exitIds() {
    return nonEmpty(dag.groupLeaves(prefix));
  }

  @Override
  List<String> entryIds() {
    return nonEmpty(dag.groupRoots(prefix));
  }

  @Override
  String label() {
    return "group '" + id + "'";
  }

  private List<String> nonEmpty(List<String> ids) {
    if (ids.isEmpty()) {
      throw new DslException("group '" + id + "' has no tasks, so nothing can depend on it");
    }
    return ids;
  }
}
