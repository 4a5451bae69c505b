{#-
    Preflight: every raw table of the contract (macro raw_contract, generated
    from csra/raw_schema.py) exists and has every contract column with a
    compatible type, and the e-mail hash key table, where installed, holds
    exactly one key. Tables of systems the project does not read (switched
    off with csra__using_*, or the contract billing tables when
    billing_source is stripe) are not checked.
    Run as the project's on-run-start hook, so `dbt build`, `run` and `test`
    stop BEFORE any model is replaced (yesterday's tables stay readable),
    with one line per problem naming the table and the column, e.g.
      raw_crm.cases.is_escalated: column missing (contract type boolean)
    instead of an engine error from deep inside a staging view. Columns are
    read with adapter.get_columns_in_relation, so it works on every adapter.
    Renders no SQL.
-#}
{% macro assert_raw_contract() -%}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- set contract = raw_contract() -%}
        {%- for schema_name, tables in contract.items() -%}
            {%- for table_name, contract_columns in tables.items() -%}
                {%- set source_node = raw_contract_source(schema_name, table_name) -%}
                {%- set relation = none if source_node is none else adapter.get_relation(
                    database=source_node.database, schema=source_node.schema, identifier=source_node.identifier) -%}
                {%- if source_node is none -%}
                    {#- the system is switched off (csra__using_*) or replaced
                        by another loader's shape (billing_source): not read -#}
                {%- elif relation is none -%}
                    {%- do problems.append(source_node.schema ~ '.' ~ source_node.identifier ~ ': table missing (the contract lists '
                        ~ contract_columns | length ~ ' columns; an empty table is fine, an absent one is not)') -%}
                {%- else -%}
                    {%- set found = {} -%}
                    {%- for column in adapter.get_columns_in_relation(relation) -%}
                        {%- do found.update({column.name | lower: column.data_type}) -%}
                    {%- endfor -%}
                    {%- for column_name, contract_type in contract_columns -%}
                        {%- if column_name not in found -%}
                            {%- do problems.append(schema_name ~ '.' ~ table_name ~ '.' ~ column_name
                                ~ ': column missing (contract type ' ~ contract_type ~ ')') -%}
                        {%- elif not raw_type_is_compatible(found[column_name], contract_type) -%}
                            {%- do problems.append(schema_name ~ '.' ~ table_name ~ '.' ~ column_name
                                ~ ': unexpected type ' ~ found[column_name] ~ ' (contract type ' ~ contract_type ~ ')') -%}
                        {%- endif -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- do problems.extend(email_hash_key_problems()) -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                "Raw contract check failed; nothing was built or replaced ("
                ~ problems | length ~ " problem" ~ ('s' if problems | length != 1 else '') ~ "):\n  "
                ~ problems | join('\n  ')) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The enabled source node of a raw contract table (raw_<source>.<table>
    is source `<source>`, table `<table>`, wherever the csra_<source>_schema
    and _database vars put it), or none when the project does not read it:
    a switched-off system (csra__using_*) or billing from Stripe. -#}
{% macro raw_contract_source(schema_name, table_name) -%}
    {%- set source_name = schema_name[4:] if schema_name.startswith('raw_') else schema_name -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == project_name and node.source_name == source_name and node.name == table_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#- Broad type families: a raw column passes when staging can cast it to the
    contract type without losing anything (an integer for a decimal, a date
    for a timestamp and back); floats never pass for money or counts. -#}
{% macro raw_type_family(data_type) -%}
    {%- set type_name = data_type | lower | trim -%}
    {%- set base = type_name.split('(')[0] | trim -%}
    {%- if base in ['decimal', 'numeric', 'number'] -%}
        {{ return('decimal') }}
    {%- elif base in ['varchar', 'text', 'string', 'character varying', 'character', 'char', 'bpchar', 'nvarchar'] -%}
        {{ return('string') }}
    {%- elif base.startswith('timestamp') or base == 'datetime' -%}
        {{ return('timestamp') }}
    {%- elif base == 'date' -%}
        {{ return('date') }}
    {%- elif base in ['boolean', 'bool'] -%}
        {{ return('boolean') }}
    {%- elif base in ['tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'int2', 'int4', 'int8',
                      'utinyint', 'usmallint', 'uinteger', 'ubigint', 'short', 'long', 'byte'] -%}
        {{ return('integer') }}
    {%- else -%}
        {{ return(base) }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_type_is_compatible(found_type, contract_type) -%}
    {%- set accepted = {
        'string': ['string'],
        'integer': ['integer'],
        'decimal': ['decimal', 'integer'],
        'timestamp': ['timestamp', 'date'],
        'date': ['date', 'timestamp'],
        'boolean': ['boolean'],
    } -%}
    {{ return(raw_type_family(found_type) in accepted.get(raw_type_family(contract_type), [raw_type_family(contract_type)])) }}
{%- endmacro %}

{#- The e-mail hash key (macros/source_switches/keyed_email_hash.sql) must be installed:
    exactly one non-empty key. Only counts are selected, never the key. -#}
{% macro email_hash_key_problems() -%}
    {%- set label = 'csra_private.email_hash_key' -%}
    {%- set key_source = graph.sources.get('source.' ~ project_name ~ '.csra_private.email_hash_key') -%}
    {%- set relation = adapter.get_relation(
        database=key_source.database if key_source else target.database,
        schema=key_source.schema if key_source else 'csra_private',
        identifier=key_source.identifier if key_source else 'email_hash_key') -%}
    {%- set fix = 'set CSRA_EMAIL_SALT and run `python -m csra.email_key` (or `csra nightly`, which installs it)' -%}
    {%- if relation is none -%}
        {#- no key installed: contact_email_hash is null (never a hash under
            a public default key), counted by the warning
            assert_email_hash_key_is_installed; csra nightly
            refuses to run without one -#}
        {{ return([]) }}
    {%- endif -%}
    {%- set counts = run_query(
        'select count(*) as key_rows, count(case when key_value is not null and key_value <> \'\' then 1 end) as usable_keys from '
        ~ relation) -%}
    {%- if counts.columns[0].values()[0] != 1 or counts.columns[1].values()[0] != 1 -%}
        {{ return([label ~ ': must hold exactly one non-empty key_value, holds '
            ~ counts.columns[0].values()[0] ~ ' rows: ' ~ fix]) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}
