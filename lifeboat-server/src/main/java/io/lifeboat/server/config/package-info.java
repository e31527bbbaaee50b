/**
 * The server's configuration: one model ({@link io.lifeboat.server.config.ServerConfig} and its
 * records) read from three sources, Lifeboat's {@code lifeboat.yml}, an RKE {@code cluster.yml}
 * and the environment (etcdctl's, Rancher 1.6's and {@code LIFEBOAT_*} variables), by
 * {@link io.lifeboat.server.config.ConfigLoader}. One load reports every problem it finds, not just
 * the first, in one {@link io.lifeboat.server.config.ConfigException}: one line per problem, each
 * naming file, line and key (or the variable), never a secret.
 */
package io.lifeboat.server.config;
