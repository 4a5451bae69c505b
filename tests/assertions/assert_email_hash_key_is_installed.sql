-- Survey e-mails are pseudonymised with a secret key read at query time
-- (macros/source_switches/keyed_email_hash.sql). A warehouse without the key table still
-- builds, with contact_email_hash null (never a hash under a public
-- default); this warning says so. `python -m csra.email_key` installs it,
-- and `csra nightly` refuses to run without one.
{{ config(severity='warn') }}
{%- set key_relation = source('csra_private', 'email_hash_key') -%}
{%- set is_installed = not execute or adapter.get_relation(
    database=key_relation.database, schema=key_relation.schema, identifier=key_relation.identifier) is not none %}

select
    '{{ key_relation.schema }}.{{ key_relation.identifier }}' as key_table,
    'no e-mail hash key installed: stg_survey__responses.contact_email_hash is null '
    || '(set CSRA_EMAIL_SALT and run python -m csra.email_key)' as failure_message
where {{ 'false' if is_installed else 'true' }}
