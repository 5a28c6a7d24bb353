package dev.weir.dsl;

import java.util.List;
import java.util.stream.Stream;

/** The settings of a {@code bash('id') { … }} task: its command, environment and folder. */
public final class BashSettings extends ProcessSettings {
  private static final List<String> KEYWORDS =
      Stream.concat(Stream.of("command", "env", "cwd", "xcomPush"), TaskSettings.KEYWORDS.stream())
          .toList();

  private String command;
  private boolean pushLastLine;

  BashSettings(TaskSettings parent) {
    super(parent);
  }

  /** The bash script to run; a template rendered just before the task runs. */
  public void command(Object value) {
    command = text("command", value);
  }

  /**
   * Keeps the last line the command prints as the task's result (XCom), as Airflow's do_xcom_push.
   */
  public void xcomPush(Object value) {
    pushLastLine = bool("xcomPush", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "command" -> command(value);
      case "xcomPush" -> xcomPush(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String command() {
    return command;
  }

  boolean pushLastLine() {
    return pushLastLine;
  }
}
