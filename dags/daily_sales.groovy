// An ETL-shaped pipeline: extract with bash, transform in Groovy, load with bash, report.
// Run-time values reach the commands through templates ({{ ds }}, {{ params.region }}), never
// through values frozen when the file is parsed.
// Try it: ./weir dags test daily_sales 2025-03-01 --conf '{"region": "us"}'
dag('daily_sales') {
    description "Load a day's sales, summarise them per product, and report"
    doc '''
    # Daily sales
    Writes `sales-<day>.csv` into a work folder, sums it per product, and appends the totals
    to `warehouse.tsv`. The folder is `$TMPDIR/weir-examples/daily_sales` by default.
    '''
    schedule '0 3 * * *'
    timezone 'Europe/Berlin'
    startDate '2025-01-01'
    catchup false
    maxActiveRuns 1
    tags 'sales', 'etl', 'example'
    params {
        region 'eu', description: 'Sales region to load', allowed: ['eu', 'us']
        workDir "${System.getProperty('java.io.tmpdir')}/weir-examples/daily_sales"
    }
    defaults { retries 2; retryDelay 10.seconds; owner 'data-team' }

    def extract = bash('extract') {
        command '''
            set -euo pipefail
            mkdir -p "{{ params.workDir }}"
            out="{{ params.workDir }}/sales-{{ ds_nodash }}-{{ params.region }}.csv"
            echo "product,amount" > "$out"
            for i in $(seq 1 20); do
              echo "p$(( i % 4 )),$(( (i * 37 + ${#WEIR_DS}) % 100 ))" >> "$out"
            done
            echo "extracted $(( $(wc -l < "$out") - 1 )) rows for {{ params.region }} on {{ ds }} into $out"
        '''
    }

    def transform = task('transform') { ctx ->
        def dir = new File(ctx.params.workDir as String)
        def day = ctx.ds.replace('-', '')
        def rows = new File(dir, "sales-${day}-${ctx.params.region}.csv").readLines().drop(1)
        def totals = rows.collect { it.split(',') }
                         .groupBy { it[0] }
                         .collectEntries { product, lines -> [product, lines.sum { it[1] as int }] }
        new File(dir, "totals-${day}-${ctx.params.region}.tsv").text =
            totals.collect { p, sum -> "${ctx.ds}\t${ctx.params.region}\t${p}\t${sum}" }.join('\n') + '\n'
        ctx.log.info("summed {} rows into {} products", rows.size(), totals.size())
        totals.values().sum()
    }

    def load = bash('load') {
        command 'cat "{{ params.workDir }}/totals-{{ ds_nodash }}-{{ params.region }}.tsv" >> "{{ params.workDir }}/warehouse.tsv" && echo "loaded into warehouse.tsv"'
    }

    def report = task('report', triggerRule: 'all_done') { ctx ->
        ctx.log.info("daily_sales for {} ({}) is done", ctx.ds, ctx.params.region)
    }

    extract >> transform >> load >> report
}
