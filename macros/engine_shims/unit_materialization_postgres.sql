{#-
    dbt's unit test materialization on PostgreSQL with two changes, so the
    same unit tests pass on every engine:
    1. dbt names the unit test's scratch relation after the unit test, and
       PostgreSQL relation names stop at 63 characters: a descriptive name
       (`<model>__<behaviour>`, often longer) failed with "Relation name ...
       is longer than 63 characters". The base name is cut to 63 here (the
       temporary table's name is shortened further by make_temp_relation).
    2. dbt compares actual and expected rows as text. A PostgreSQL `numeric`
       without precision keeps every digit of scale an expression produced
       (2.00 x 1.25000000 is 2.5000000000), while the expected row `2.5` is
       cast to plain `numeric` (2.5): equal numbers, unequal text. Columns
       of unconstrained `numeric` are compared through trim_scale() on both
       sides; constrained decimal(p,s) columns are compared as they are.
-#}
{%- materialization unit, adapter='postgres' -%}

  {% set relations = [] %}
  {% set sql_header = config.get('sql_header') if flags.REQUIRE_SQL_HEADER_IN_TEST_CONFIGS else none %}

  {% set expected_rows = config.get('expected_rows') %}
  {% set expected_sql = config.get('expected_sql') %}
  {% set tested_expected_column_names = expected_rows[0].keys() if (expected_rows | length ) > 0 else get_columns_in_query(sql) %}

  {#- the one change: a name PostgreSQL accepts -#}
  {%- set target_relation = this.incorporate(type='table', path={'identifier': this.identifier[:63]}) -%}
  {%- set temp_relation = make_temp_relation(target_relation)-%}
  {% do run_query(get_create_table_as_sql(True, temp_relation, get_empty_subquery_sql(sql))) %}
  {%- set columns_in_relation = adapter.get_columns_in_relation(temp_relation) -%}
  {%- set column_name_to_data_types = {} -%}
  {%- set column_name_to_quoted = {} -%}
  {%- for column in columns_in_relation -%}
  {%-   do column_name_to_data_types.update({column.name|lower: column.data_type}) -%}
  {%-   do column_name_to_quoted.update({column.name|lower: column.quoted}) -%}
  {%- endfor -%}

  {%- set expected_column_names_quoted = [] -%}
  {%- for column_name in tested_expected_column_names -%}
  {%-   do expected_column_names_quoted.append(column_name_to_quoted[column_name|lower]) -%}
  {%- endfor -%}

  {% if not expected_sql %}
  {%   set expected_sql = get_expected_sql(expected_rows, column_name_to_data_types, column_name_to_quoted) %}
  {% endif %}
  {#- change 2: canonical scale for unconstrained numerics -#}
  {%- set unscaled = [] -%}
  {%- for column_name in tested_expected_column_names -%}
  {%-   if column_name_to_data_types[column_name|lower] | lower == 'numeric' -%}
  {%-     do unscaled.append(column_name|lower) -%}
  {%-   endif -%}
  {%- endfor -%}
  {%- if unscaled -%}
  {%-   set scaled_columns = [] -%}
  {%-   for column_name in tested_expected_column_names -%}
  {%-     set quoted = column_name_to_quoted[column_name|lower] -%}
  {%-     if column_name|lower in unscaled -%}
  {%-       do scaled_columns.append('trim_scale(' ~ quoted ~ ') as ' ~ quoted) -%}
  {%-     else -%}
  {%-       do scaled_columns.append(quoted) -%}
  {%-     endif -%}
  {%-   endfor -%}
  {%-   set sql = 'select ' ~ scaled_columns | join(', ') ~ ' from (\n' ~ sql ~ '\n) as dbt_unit_test_actual_scaled' -%}
  {%-   set expected_sql = 'select ' ~ scaled_columns | join(', ') ~ ' from (\n' ~ expected_sql ~ '\n) as dbt_unit_test_expected_scaled' -%}
  {%- endif %}
  {% set unit_test_sql = get_unit_test_sql(sql, expected_sql, expected_column_names_quoted) %}

  {% call statement('main', fetch_result=True) -%}

    {% if sql_header %}{{ sql_header }}{% endif %}
    {{ unit_test_sql }}

  {%- endcall %}

  {% do adapter.drop_relation(temp_relation) %}

  {{ return({'relations': relations}) }}

{%- endmaterialization -%}
