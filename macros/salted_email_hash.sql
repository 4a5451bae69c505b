{#-
    Pseudonymises an e-mail address: md5 of a secret salt and the trimmed,
    lower-cased address. The salt comes from the CSRA_EMAIL_SALT environment
    variable so the same person hashes alike across runs but the hash cannot
    be reversed by a dictionary of addresses without the salt.
-#}
{% macro salted_email_hash(column_name) -%}
    case
        when {{ column_name }} is not null
            then {{ dbt.hash(dbt.concat(["'" ~ env_var('CSRA_EMAIL_SALT', 'csra-default-salt') ~ "'", "lower(trim(" ~ column_name ~ "))"])) }}
    end
{%- endmacro %}
