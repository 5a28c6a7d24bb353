package dev.weir.dagbag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dsl.CompiledScript;
import dev.weir.dsl.DagScriptCompiler;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagBagClassUnloadingTest {
  private static final int RELOADS = 500;
  private static final int WARM_UP = 50;

  @TempDir Path temp;

  private static String script(int version) {
    return """
        // version %d
        dag('reload') {
            schedule none()
            defaults { retries 1 }
            def extract = bash('extract') { command "echo %d" }
            def work = task('work') { ctx -> ctx.log.info("version %d: " + [1, 2].collect { it * 2 }) }
            group('more') { empty('done') }
            extract >> work
        }
        """
        .formatted(version, version, version);
  }

  @Test
  void should_unload_the_classes_of_replaced_scripts() throws IOException, InterruptedException {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    MemoryPoolMXBean metaspace =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getName().equals("Metaspace"))
            .findFirst()
            .orElseThrow();

    // What one script version costs while it is held.
    DagScriptCompiler compiler = new DagScriptCompiler();
    List<CompiledScript> held = new ArrayList<>();
    compiler.load("dags/warm.groovy", script(-1));
    collectGarbage();
    int classesBefore = classes.getLoadedClassCount();
    long metaspaceBefore = metaspace.getUsage().getUsed();
    for (int i = 0; i < 20; i++) {
      CompiledScript compiled =
          compiler.compile("dags/held.groovy", script(-2 - i), getClass().getClassLoader());
      compiler.evaluate(compiled);
      held.add(compiled);
    }
    double classesPerScript = (classes.getLoadedClassCount() - classesBefore) / 20.0;
    double metaspacePerScript = (metaspace.getUsage().getUsed() - metaspaceBefore) / 20.0;
    held.forEach(CompiledScript::close);
    held.clear();
    assertThat(classesPerScript).isGreaterThanOrEqualTo(3);

    Path dags = Files.createDirectory(temp.resolve("dags"));
    Path file = dags.resolve("reload.groovy");
    try (DagBag bag = new DagBag(dags, DagBagOptions.defaults())) {
      int classesAfterWarmUp = 0;
      long metaspaceAfterWarmUp = 0;
      for (int version = 1; version <= RELOADS; version++) {
        Files.writeString(file, script(version));
        RefreshResult result = bag.refresh();
        assertThat(result.failed()).isEmpty();
        if (version == WARM_UP) {
          collectGarbage();
          classesAfterWarmUp = classes.getLoadedClassCount();
          metaspaceAfterWarmUp = metaspace.getUsage().getUsed();
        }
      }
      assertThat(bag.compileCount()).isEqualTo(RELOADS);
      collectGarbage();
      int classGrowth = classes.getLoadedClassCount() - classesAfterWarmUp;
      long metaspaceGrowth = metaspace.getUsage().getUsed() - metaspaceAfterWarmUp;

      assertThat(classGrowth)
          .as("classes per script %.1f", classesPerScript)
          .isLessThan((int) (0.2 * RELOADS * classesPerScript));
      assertThat(metaspaceGrowth)
          .as("Metaspace bytes per script %.0f", metaspacePerScript)
          .isLessThan((long) (0.2 * RELOADS * metaspacePerScript));
    }
  }

  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }
}
