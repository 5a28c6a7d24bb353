package dev.weir.alerts;

/**
 * One message of a notifier, for one outbox row or a group of them; every value masked.
 *
 * @param text the plain-text body, also the webhook's {@code text}
 * @param html the same body as HTML, every value escaped
 * @param json the webhook's JSON body
 * @param about names the DAG, run, task and event, for logs: {@code task_failure of
 *     daily_sales.load in run …}
 */
record Message(String subject, String text, String html, String json, String about) {}
