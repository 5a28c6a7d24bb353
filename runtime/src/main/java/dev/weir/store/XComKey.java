package dev.weir.store;

/** A task and a key it pushed XCom values under, in some run of its DAG. */
public record XComKey(String taskId, String key) {}
