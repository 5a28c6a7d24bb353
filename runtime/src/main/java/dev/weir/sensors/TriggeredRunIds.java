package dev.weir.sensors;

import dev.weir.model.TaskContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The run id of the run a triggerDagRun task creates: the same for every try and poke of one task
 * instance, so that a later poke or a retry finds the run instead of creating another, and it says
 * where the run came from: {@code triggered__<dag>.<task>__<run id>}.
 */
final class TriggeredRunIds {
  /** The store's limit on a run id's length. */
  private static final int MAX_LENGTH = 250;

  private TriggeredRunIds() {}

  static String of(TaskContext context) {
    String id =
        "triggered__"
            + context.getDagId()
            + "."
            + context.getTaskId()
            + (context.getMapIndex() >= 0 ? "[" + context.getMapIndex() + "]" : "")
            + "__"
            + context.getRunId();
    if (id.length() <= MAX_LENGTH) {
      return id;
    }
    // Too long for the store: keep it unique and stable, no longer readable.
    return "triggered__" + sha256(id).substring(0, 40);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
