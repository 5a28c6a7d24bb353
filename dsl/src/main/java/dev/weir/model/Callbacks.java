package dev.weir.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The callbacks of a task, or of a DAG's runs, by event. */
public record Callbacks(Map<CallbackEvent, List<Callback>> byEvent) {
  public static final Callbacks NONE = new Callbacks(Map.of());

  public Callbacks {
    EnumMap<CallbackEvent, List<Callback>> copy = new EnumMap<>(CallbackEvent.class);
    byEvent.forEach(
        (event, callbacks) -> {
          if (!callbacks.isEmpty()) {
            copy.put(event, List.copyOf(callbacks));
          }
        });
    byEvent = copy.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(copy);
  }

  /** The callbacks of one event, in the order the script set them; empty when none. */
  public List<Callback> on(CallbackEvent event) {
    return byEvent.getOrDefault(event, List.of());
  }

  public boolean isEmpty() {
    return byEvent.isEmpty();
  }
}
