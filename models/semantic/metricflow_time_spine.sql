-- The day spine MetricFlow joins metrics to (cumulative windows, gaps
-- filled by metric_time). 2015-2040 covers any plausible reporting window;
-- dbt.date_spine keeps it portable across DuckDB, PostgreSQL and Spark.
with

days as (

    {{ dbt.date_spine(
        datepart="day",
        start_date="cast('2015-01-01' as date)",
        end_date="cast('2041-01-01' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
