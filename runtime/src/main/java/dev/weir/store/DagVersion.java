package dev.weir.store;

import java.time.Instant;

/**
 * One version of a DAG's script: what a run executes, whatever happens to the file later.
 *
 * @param gitCommit the commit of the DAGs folder's work tree when the version was saved, or null
 * @param source the script's text
 */
public record DagVersion(
    long id,
    String dagId,
    String sha256,
    String gitCommit,
    String file,
    String source,
    Instant createdAt) {}
