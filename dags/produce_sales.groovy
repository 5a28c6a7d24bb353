// Produces the sales data set and says so: the 'export' task lists it as an outlet, so each
// successful export records an update of file:///tmp/weir-examples/sales.csv, and the DAGs
// scheduled on that data set (retrain_model) run. Try it: ./weir dags test produce_sales
def sales = 'file:///tmp/weir-examples/sales.csv'

dag('produce_sales') {
    description "Export the day's sales to a CSV file, the data set retrain_model waits for"
    schedule '@daily'
    startDate '2025-01-01'
    tags 'datasets', 'example'

    bash('export') {
        command '''
            mkdir -p /tmp/weir-examples
            { echo "day,amount"; for i in 1 2 3 4 5; do echo "{{ ds }},$((i * 10))"; done; } > /tmp/weir-examples/sales.csv.tmp
            mv /tmp/weir-examples/sales.csv.tmp /tmp/weir-examples/sales.csv
            echo "exported $(($(wc -l < /tmp/weir-examples/sales.csv) - 1)) rows"
        '''
        outlets dataset(sales)
    }
}
