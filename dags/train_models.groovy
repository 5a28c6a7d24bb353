// An ML-shaped pipeline: prepare a data set, train three models in parallel branches of a group,
// pick the best one that succeeded. The pick waits for every trainer and runs whatever they did
// (all_done), so one trainer failing does not stop it; it fails only if no model was trained.
// The clean-up runs whatever happened (all_done too).
// Try it: ./weir dags test train_models
def lambdas = [small: 0.01, medium: 1.0, large: 100.0]

dag('train_models') {
    description 'Fit ridge regressions with three regularisation strengths and keep the best'
    schedule '0 2 * * 1'          // Mondays at 02:00
    timezone 'UTC'
    startDate '2025-01-06'
    tags 'ml', 'example'
    params {
        workDir "${System.getProperty('java.io.tmpdir')}/weir-examples/train_models"
        samples 400
    }

    def prepare = task('prepare') { ctx ->
        // A deterministic synthetic data set: y = 3x + 2 + noise.
        def random = new Random(42)
        def dir = new File("${ctx.params.workDir}/${ctx.ds}")
        dir.mkdirs()
        new File(dir, 'data.csv').withWriter { out ->
            (1..(ctx.params.samples as int)).each {
                double x = random.nextDouble() * 10
                out << "${x},${3 * x + 2 + random.nextGaussian()}\n"
            }
        }
        ctx.log.info("wrote {} samples to {}", ctx.params.samples, dir)
    }

    def training = group('train') {
        lambdas.each { name, lambda ->
            task(name, retries: 1, retryDelay: 1.second, executionTimeout: 5.minutes) { ctx ->
                def points = new File("${ctx.params.workDir}/${ctx.ds}/data.csv").readLines()
                        .collect { it.split(',')*.toDouble() }
                // Closed-form ridge regression on one feature with an intercept.
                double n = points.size(), sx = points.sum { it[0] }, sy = points.sum { it[1] }
                double sxx = points.sum { it[0] * it[0] }, sxy = points.sum { it[0] * it[1] }
                double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx + n * lambda)
                double intercept = (sy - slope * sx) / n
                double mse = points.sum { (it[1] - (slope * it[0] + intercept)) ** 2 } / n
                new File("${ctx.params.workDir}/${ctx.ds}/model-${name}.txt").text = "${mse}\t${slope}\t${intercept}"
                ctx.log.info("lambda {}: slope {}, intercept {}, mse {}", lambda, slope, intercept, mse)
                mse
            }
        }
    }

    def pickBest = task('pick_best', triggerRule: 'all_done') { ctx ->
        def models = lambdas.keySet().collect { name ->
            def file = new File("${ctx.params.workDir}/${ctx.ds}/model-${name}.txt")
            file.exists() ? [name: name, mse: file.text.split('\t')[0] as double] : null
        }.findAll()
        if (!models) {
            throw new IllegalStateException('no model was trained: every trainer failed')
        }
        def best = models.min { it.mse }
        ctx.log.info("best model: {} (mse {})", best.name, best.mse)
        best.name
    }

    def cleanup = bash('cleanup', triggerRule: 'all_done') {
        command 'echo "models kept in {{ params.workDir }}/{{ ds }}"'
    }

    prepare >> training >> pickBest >> cleanup
}
