{#-
    Pseudonymises an e-mail address: hex SHA-256 of the secret key followed
    by the trimmed, lower-cased address; null stays null. The key is NOT a
    literal of the compiled SQL: it is read at query time by a scalar
    subquery from the one-row table csra_private.email_hash_key, which
    csra.email_key writes outside dbt with a bound parameter. So the key
    never lands in target/compiled, target/run, logs/dbt.log, the manifest,
    the partial-parse file or the warehouse's query history, and the same
    address hashes alike on every run for as long as the key stays the same.
    A reader of the artifacts cannot reverse a hash with a dictionary of
    addresses without the key. (Not an HMAC: a portable HMAC needs byte XOR,
    which the engines do not share; SHA-256 of key || value is not
    reversible without the key, and length extension does not apply to a
    pseudonym nobody verifies.) Without an installed key (a plain dbt build
    on a warehouse nobody keyed) the hash is null and a warning says so.
-#}
{% macro keyed_email_hash(column_name) -%}
    {%- set key_relation = source('csra_private', 'email_hash_key') -%}
    {%- set is_key_installed = not execute or adapter.get_relation(
        database=key_relation.database, schema=key_relation.schema, identifier=key_relation.identifier) is not none -%}
    {%- if is_key_installed -%}
    case
        when {{ column_name }} is not null
            then {{ sha256_hex(dbt.concat([
                "(select key_value from " ~ key_relation ~ ")",
                "lower(trim(" ~ column_name ~ "))",
            ])) }}
    end
    {%- else -%}
    {#- no key installed: no hash at all rather than one under a public
        default (warning assert_email_hash_key_is_installed) -#}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- Lower-case hex SHA-256 of a string expression (64 characters). -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'cs_revenue_analytics')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{#- PostgreSQL 11+: sha256(bytea) is built in (no pgcrypto needed) -#}
{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}
