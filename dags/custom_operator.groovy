// A task run by a custom operator from dags/lib/GreetOperator.groovy.
dag('custom_operator') {
    description 'Uses an operator class of dags/lib/'
    schedule '@daily'
    startDate '2025-01-01'

    def greet = operator('greet', new GreetOperator(name: 'Ada'), retries: 1)
    def show = task('show') { ctx -> ctx.log.info('greet said: {}', ctx.xcom.pull('greet')) }
    greet >> show
}
