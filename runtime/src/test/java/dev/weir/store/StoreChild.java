package dev.weir.store;

import dev.weir.config.Settings;
import java.time.Instant;
import java.util.Map;

/**
 * A second process on a home folder's database, for {@link DatabaseTest}: {@code read <home>
 * <versionId>} prints a version's source and posts a request; {@code post <home>} posts requests
 * and prints each id once committed, until it is killed.
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) {
    Settings settings = Settings.load(Map.of("WEIR_HOME", args[1]));
    try (MetadataStore store = new JdbcMetadataStore(Database.open(settings))) {
      switch (args[0]) {
        case "read" -> {
          System.out.println(store.version(Long.parseLong(args[2])).orElseThrow().source());
          System.out.println(store.postCommand("from-child", "{}", Instant.EPOCH));
        }
        case "post" -> {
          while (true) {
            System.out.println(store.postCommand("tick", "{}", Instant.EPOCH));
            System.out.flush();
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    }
  }
}
