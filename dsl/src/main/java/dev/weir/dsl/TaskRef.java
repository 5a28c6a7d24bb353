package dev.weir.dsl;

import java.util.List;

/** A task as a script holds it: use it with {@code >>}, {@code <<} and {@code chain(…)}. */
public final class TaskRef extends Node {
  private final DagBuilder dag;
  private final String id;

  TaskRef(DagBuilder dag, String id) {
    this.dag = dag;
    this.id = id;
  }

  /** The task's full id, with its group prefix. */
  public String getId() {
    return id;
  }

  @Override
  DagBuilder dag() {
    return dag;
  }

  @Override
  List<String> exitIds() {
    return List.of(id);
  }

  @Override
  List<String> entryIds() {
    return List.of(id);
  }

  @Override
  String label() {
    return "task '" + id + "'";
  }
}
