// This is how a model is retrained when new data arrives: retrain_model has no time schedule, it
// runs each time produce_sales updates the sales data set. Under the scheduler, unpause both
// (./weir dags unpause produce_sales; ./weir dags unpause retrain_model) and every successful
// export queues a run of retrain_model; ./weir datasets list shows the link.
// Try the training alone (after a produce_sales test): ./weir dags test retrain_model
import dev.weir.run.SkipTask

dag('retrain_model') {
    description 'Refit the sales model whenever new sales data arrives'
    schedule datasets('file:///tmp/weir-examples/sales.csv')
    tags 'datasets', 'ml', 'example'

    def train = task('train') { ctx ->
        def data = new File('/tmp/weir-examples/sales.csv')
        if (!data.exists()) {
            throw new SkipTask('no sales data yet: run produce_sales first')
        }
        def amounts = data.readLines().drop(1).collect { it.split(',')[1] as double }
        double mean = amounts.sum() / amounts.size()
        new File('/tmp/weir-examples/model.txt').text = "mean_amount=${mean}\n"
        ctx.log.info('trained on {} rows (data interval {} to {}): mean amount {}',
                amounts.size(), ctx.dataIntervalStart, ctx.dataIntervalEnd, mean)
        mean
    }
    def publish = bash('publish') {
        command 'cat /tmp/weir-examples/model.txt'
        outlets dataset('file:///tmp/weir-examples/model.txt')
    }
    train >> publish
}
