// @ts-check

/**
 * Promotions as they happened: who asked, when, from where to where, which
 * versions, how (commit or review branch) and with what result.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('promotions', table => {
    table.comment('Every promotion that was attempted (dry runs excluded)');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref').notNullable().comment('The model entity');
    table.string('from_environment', 63).notNullable();
    table.string('to_environment', 63).notNullable();
    table
      .string('strategy', 16)
      .notNullable()
      .comment('commit or pull-request');
    table.string('status', 32).notNullable();
    table.string('actor').notNullable().comment('User entity ref or service');
    table
      .text('versions')
      .notNullable()
      .comment('JSON array of model URIs or images');
    table.text('message').notNullable();
    table.string('commit_sha', 64).nullable();
    table.text('commit_url').nullable();
    table.string('branch').nullable();
    table.integer('pull_request_number').nullable();
    table.text('pull_request_url').nullable();
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(
      ['entity_ref', 'created_at'],
      'promotions_entity_ref_created_at_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotions');
};
