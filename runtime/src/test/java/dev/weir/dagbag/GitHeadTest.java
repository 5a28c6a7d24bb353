package dev.weir.dagbag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks what {@link GitHead} reads against what the real {@code git} says. */
class GitHeadTest {
  @TempDir Path temp;
  private Path home;

  @BeforeEach
  void isolateFromTheUsersGitConfiguration() throws IOException {
    home = Files.createDirectory(temp.resolve("home"));
  }

  @Test
  void should_read_the_branch_head_from_a_loose_ref_in_a_sub_folder() throws Exception {
    Path repo = newRepository("repo");
    Path dags = Files.createDirectories(repo.resolve("deploy/dags"));
    commit(repo, "first");
    String first = git(repo, "rev-parse", "HEAD");
    assertThat(repo.resolve(".git/refs/heads/main")).isRegularFile();

    assertThat(GitHead.commit(dags)).contains(first);
    assertThat(GitHead.commit(repo)).contains(first);

    commit(repo, "second");
    String second = git(repo, "rev-parse", "HEAD");
    assertThat(second).isNotEqualTo(first);
    assertThat(GitHead.commit(dags)).contains(second);
  }

  @Test
  void should_read_a_packed_ref_and_prefer_a_newer_loose_one() throws Exception {
    Path repo = newRepository("repo");
    commit(repo, "first");
    git(repo, "branch", "mai"); // sorts just before main in packed-refs
    git(repo, "tag", "-a", "-m", "annotated", "v1"); // adds a peeled "^" line
    commit(repo, "second");
    git(repo, "pack-refs", "--all");
    assertThat(repo.resolve(".git/refs/heads/main")).doesNotExist();
    assertThat(Files.readString(repo.resolve(".git/packed-refs")))
        .contains(" refs/heads/mai\n", " refs/heads/main\n", "\n^");
    String second = git(repo, "rev-parse", "HEAD");
    assertThat(second).isNotEqualTo(git(repo, "rev-parse", "mai"));

    assertThat(GitHead.commit(repo)).contains(second);

    commit(repo, "third"); // writes a loose ref; packed-refs still has the second commit
    assertThat(repo.resolve(".git/refs/heads/main")).isRegularFile();

    assertThat(GitHead.commit(repo)).contains(git(repo, "rev-parse", "HEAD"));
  }

  @Test
  void should_read_a_detached_head() throws Exception {
    Path repo = newRepository("repo");
    commit(repo, "first");
    String first = git(repo, "rev-parse", "HEAD");
    commit(repo, "second");

    git(repo, "checkout", "--quiet", "--detach", first);

    assertThat(Files.readString(repo.resolve(".git/HEAD")).trim()).isEqualTo(first);
    assertThat(GitHead.commit(repo)).contains(first);
  }

  @Test
  void should_read_the_head_of_a_linked_worktree_with_shared_packed_refs() throws Exception {
    Path repo = newRepository("repo");
    commit(repo, "first");
    Path worktree = temp.resolve("worktree");
    git(repo, "worktree", "add", "--quiet", "-b", "feature", worktree.toString());
    commit(worktree, "on feature");
    git(repo, "pack-refs", "--all");
    Path dags = Files.createDirectories(worktree.resolve("dags"));
    assertThat(worktree.resolve(".git")).isRegularFile();

    String feature = git(worktree, "rev-parse", "HEAD");
    assertThat(feature).isNotEqualTo(git(repo, "rev-parse", "HEAD"));
    assertThat(GitHead.commit(dags)).contains(feature);
    assertThat(GitHead.commit(repo)).contains(git(repo, "rev-parse", "HEAD"));

    commit(worktree, "loose again");
    assertThat(GitHead.commit(dags)).contains(git(worktree, "rev-parse", "HEAD"));
  }

  @Test
  void should_follow_a_relative_gitdir_file() throws Exception {
    Path repo = Files.createDirectory(temp.resolve("repo"));
    git(
        temp,
        "init",
        "--quiet",
        "--initial-branch=main",
        "--separate-git-dir=" + temp.resolve("store"),
        repo.toString());
    configure(repo);
    commit(repo, "first");
    Files.writeString(repo.resolve(".git"), "gitdir: ../store\n");

    assertThat(GitHead.commit(repo)).contains(git(repo, "rev-parse", "HEAD"));
  }

  @Test
  void should_be_empty_on_a_branch_without_commits() throws Exception {
    Path repo = newRepository("repo");

    assertThat(Files.readString(repo.resolve(".git/HEAD"))).startsWith("ref: refs/heads/main");
    assertThat(GitHead.commit(repo)).isEmpty();
  }

  @Test
  void should_be_empty_outside_any_repository() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("plain/dags"));
    assertThat(run(folder, "git", "rev-parse", "--is-inside-work-tree").exitCode)
        .as("the temporary folder must not be inside a Git repository")
        .isNotZero();

    assertThat(GitHead.commit(folder)).isEmpty();
    assertThat(GitHead.commit(temp.resolve("missing"))).isEmpty();
  }

  private Path newRepository(String name) throws Exception {
    Path repo = Files.createDirectory(temp.resolve(name));
    git(repo, "init", "--quiet", "--initial-branch=main");
    configure(repo);
    return repo;
  }

  private void configure(Path repo) throws Exception {
    git(repo, "config", "user.name", "Weir Test");
    git(repo, "config", "user.email", "test@weir.dev");
    git(repo, "config", "commit.gpgsign", "false");
    git(repo, "config", "tag.gpgsign", "false");
  }

  private void commit(Path repo, String message) throws Exception {
    Path file = repo.resolve("file.txt");
    Files.writeString(file, message + "\n");
    git(repo, "add", "file.txt");
    git(repo, "commit", "--quiet", "-m", message);
  }

  private String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Result result = run(dir, command.toArray(String[]::new));
    assertThat(result.exitCode).as("%s failed: %s", command, result.output).isZero();
    return result.output.trim();
  }

  private Result run(Path dir, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.keySet().removeIf(key -> key.startsWith("GIT_DIR") || key.equals("GIT_WORK_TREE"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s timed out", List.of(command)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
