/**
 * The server's configuration: one model ({@link io.lifeboat.server.config.ServerConfig} and its
 * records) read from three sources, Lifeboat's {@code lifeboat.yml}, an RKE {@code cluster.yml}
 * and the environment (etcdctl's, Rancher 1.6's and {@code LIFEBOAT_*} variables), by
 * {@link io.lifeboat.server.config.ConfigLoader}. Problems are reported as
 * {@link io.lifeboat.server.config.ConfigException}s naming file, line and key, never a secret.
 */
package io.lifeboat.server.config;
