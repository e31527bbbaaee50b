package io.lifeboat.cli;

import io.lifeboat.cli.key.KeyCommand;
import io.lifeboat.cli.server.ServerCommand;
import io.lifeboat.cli.snapshot.SnapshotCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

@Command(
    name = "lifeboat",
    description = "etcd backup and disaster recovery for Kubernetes.",
    mixinStandardHelpOptions = true,
    versionProvider = LifeboatCommand.VersionProvider.class,
    subcommands = {SnapshotCommand.class, ServerCommand.class, KeyCommand.class, VersionCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the operation failed (the message says what and where)",
      "2:bad usage or configuration",
      "3:a snapshot failed an integrity check"
    })
public final class LifeboatCommand {
  @Mixin EtcdConnectionOptions connection;

  public EtcdConnectionOptions connection() {
    return connection;
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return VersionCommand.text().split("\n");
    }
  }
}
