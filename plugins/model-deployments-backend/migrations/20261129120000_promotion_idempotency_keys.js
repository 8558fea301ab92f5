// @ts-check

/**
 * The Idempotency-Key a promotion was asked with, unique, so that a retried
 * request, on any replica, finds the first one's record instead of
 * promoting and recording again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table
      .string('idempotency_key', 255)
      .nullable()
      .comment('The Idempotency-Key header of the request, when it had one');
    table.unique(['idempotency_key'], {
      indexName: 'promotions_idempotency_key_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropUnique(['idempotency_key'], 'promotions_idempotency_key_idx');
    table.dropColumn('idempotency_key');
  });
};
