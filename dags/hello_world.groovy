// The smallest useful DAG: one bash task, one Groovy task, one dependency.
// Try it: ./weir dags test hello_world
dag('hello_world') {
    description 'Say hello from bash and from Groovy'
    schedule '@daily'
    startDate '2025-01-01'
    tags 'example'

    def hello = bash('hello') { command 'echo "Hello from bash, it is {{ ds }}"' }
    def world = task('world') { ctx ->
        ctx.log.info("Hello from Groovy, run {}", ctx.runId)
        "world"
    }
    hello >> world
}
