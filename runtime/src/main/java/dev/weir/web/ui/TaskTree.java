package dev.weir.web.ui;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.state.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG's tasks as the grid lists them: each group (nested groups too) right before its tasks, in
 * the order their first task comes in the DAG.
 */
final class TaskTree {
  /** A row of the grid: a group or a task, with its depth and enclosing group. */
  record Row(String kind, String id, String parent, int depth) {}

  /** States from the most to the least telling: a summary shows the first one present. */
  private static final List<TaskState> PRIORITY =
      List.of(
          TaskState.FAILED,
          TaskState.UPSTREAM_FAILED,
          TaskState.UP_FOR_RETRY,
          TaskState.UP_FOR_RESCHEDULE,
          TaskState.RUNNING,
          TaskState.QUEUED,
          TaskState.SCHEDULED,
          TaskState.NONE,
          TaskState.SKIPPED,
          TaskState.REMOVED,
          TaskState.SUCCESS);

  private TaskTree() {}

  static List<Row> rows(DagSpec dag) {
    Node root = new Node(null);
    for (TaskSpec task : dag.tasks().values()) {
      Node node = root;
      if (task.group() != null) {
        String[] parts = task.group().split("\\.");
        StringBuilder id = new StringBuilder();
        for (String part : parts) {
          if (id.length() > 0) {
            id.append('.');
          }
          id.append(part);
          Node parent = node;
          node =
              parent.groups.computeIfAbsent(
                  id.toString(),
                  groupId -> {
                    Node group = new Node(groupId);
                    parent.order.add(group);
                    return group;
                  });
        }
      }
      node.order.add(task.id());
    }
    List<Row> rows = new ArrayList<>();
    walk(root, null, 0, rows);
    return rows;
  }

  /** The groups of a DAG with their parent group, outermost first. */
  static List<Map<String, Object>> groups(DagSpec dag) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Row row : rows(dag)) {
      if (row.kind().equals("group")) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("group_id", row.id());
        group.put("parent", row.parent());
        group.put("label", label(row.id()));
        groups.add(group);
      }
    }
    return groups;
  }

  /** The last part of a dotted id: {@code clean} of {@code prep.clean}. */
  static String label(String id) {
    return id.substring(id.lastIndexOf('.') + 1);
  }

  /** The state that sums up several (a mapped task's instances, a group's tasks). */
  static TaskState summary(Collection<TaskState> states) {
    for (TaskState state : PRIORITY) {
      if (states.contains(state)) {
        return state;
      }
    }
    return TaskState.NONE;
  }

  private static void walk(Node node, String parent, int depth, List<Row> rows) {
    for (Object child : node.order) {
      if (child instanceof Node group) {
        rows.add(new Row("group", group.id, parent, depth));
        walk(group, group.id, depth + 1, rows);
      } else {
        rows.add(new Row("task", (String) child, parent, depth));
      }
    }
  }

  private static final class Node {
    final String id;
    final Map<String, Node> groups = new LinkedHashMap<>();
    final List<Object> order = new ArrayList<>();

    Node(String id) {
      this.id = id;
    }
  }
}
