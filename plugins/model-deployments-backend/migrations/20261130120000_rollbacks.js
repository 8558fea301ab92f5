// @ts-check

/**
 * Rollbacks are recorded with promotions: `kind` tells them apart, and a
 * rollback keeps the commit it restored and the promotion it came from.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('promotion')
      .comment('promotion or rollback');
    table
      .string('restored_commit', 40)
      .nullable()
      .comment('For a rollback: the commit whose manifests it restored');
    table
      .string('restored_promotion_id', 64)
      .nullable()
      .comment('For a rollback: the promotion whose state it restored');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('restored_promotion_id');
    table.dropColumn('restored_commit');
    table.dropColumn('kind');
  });
};
