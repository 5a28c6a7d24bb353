package dev.weir.dsl;

import java.util.List;

/** The settings of {@code fileSensor('id') { path '/data/{{ ds }}/*.csv' }}. */
public final class FileSensorSettings extends SensorSettings {
  private String path;
  private String baseDir;

  FileSensorSettings(TaskSettings parent) {
    super(parent, List.of("path", "baseDir"));
  }

  /** The file to wait for, or a glob any match of which will do; a template. */
  public void path(Object value) {
    path = text("path", value);
  }

  /** The folder a relative {@code path} is resolved against; a template. */
  public void baseDir(Object value) {
    baseDir = text("baseDir", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "path" -> path(value);
      case "baseDir" -> baseDir(value);
      default -> super.set(name, value);
    }
  }

  String path() {
    return path;
  }

  String baseDir() {
    return baseDir;
  }
}
