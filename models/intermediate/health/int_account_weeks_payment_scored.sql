{#-
    Payment component of the health score (weight `health_weights.payment`):
    the most overdue invoice the account owed on the week's Sunday. An
    invoice is owed on a day when it was issued by then, is not `draft` or
    `void`, has amount_due > 0 and was not paid by then (paid_at null, or
    paid after that day; `paid` with no paid_at counts as paid). It is
    overdue by (Sunday - due date) days, the due date being due_at's UTC
    date (issue date when due_at is null). Scale: nothing overdue 100,
    1-30 days 75, 31-60 days 50, 61-90 days 25, more 0. No invoices is 100.
    `uncollectible` has no date, so a written-off invoice is read like any
    unpaid one: it ages into the 0 bucket instead of scoring 0 in weeks
    before anyone wrote it off.
-#}

with

account_weeks as (

    select
        account_id,
        week_start,
        week_end
    from {{ ref('int_account_weeks_mrr_measured') }}

),

invoices as (

    select
        invoice_id,
        customer_id,
        status,
        amount_due,
        issued_at,
        due_at,
        paid_at
    from {{ ref('stg_billing__invoices') }}

),

customers as (

    select
        customer_id,
        account_id
    from {{ ref('stg_billing__customers') }}

),

invoices_dated as (

    select
        invoices.invoice_id,
        customers.account_id,
        invoices.status,
        cast(invoices.issued_at as date) as issued_date,
        cast(coalesce(invoices.due_at, invoices.issued_at) as date) as due_date,
        cast(invoices.paid_at as date) as paid_date
    from invoices
    inner join customers
        on invoices.customer_id = customers.customer_id
    where
        invoices.status not in ('draft', 'void')
        and invoices.amount_due > 0

),

invoices_owed_at_week_end as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        invoices_dated.invoice_id,
        invoices_dated.due_date
    from account_weeks
    inner join invoices_dated
        on
            account_weeks.account_id = invoices_dated.account_id
            and account_weeks.week_end >= invoices_dated.issued_date
            and (
                account_weeks.week_end < invoices_dated.paid_date
                or (invoices_dated.paid_date is null and invoices_dated.status <> 'paid')
            )

),

invoices_aged as (

    select
        account_id,
        week_start,
        invoice_id,
        {{ dbt.datediff('due_date', 'week_end', 'day') }}
            as days_past_due
    from invoices_owed_at_week_end

),

owed_summarised as (

    select
        account_id,
        week_start,
        count(*) as open_invoices,
        sum(case when days_past_due > 0 then 1 else 0 end) as overdue_invoices,
        max(case when days_past_due > 0 then days_past_due else 0 end) as max_days_overdue
    from invoices_aged
    group by
        account_id,
        week_start

),

-- nothing owed counts 0
measured as (

    {{ zero_filled_on('account_weeks', ['account_id', 'week_start'], {
        'owed_summarised': {
            dbt.type_bigint(): ['open_invoices', 'overdue_invoices'],
            dbt.type_int(): ['max_days_overdue'],
        },
    }, spine_columns=['week_end']) }}

),

final as (

    select
        account_id,
        week_start,
        week_end,
        open_invoices,
        overdue_invoices,
        max_days_overdue,
        cast(
            case
                when max_days_overdue <= 0 then 100
                when max_days_overdue <= 30 then 75
                when max_days_overdue <= 60 then 50
                when max_days_overdue <= 90 then 25
                else 0
            end as decimal(5, 2)
        ) as payment_score
    from measured

)

select * from final
