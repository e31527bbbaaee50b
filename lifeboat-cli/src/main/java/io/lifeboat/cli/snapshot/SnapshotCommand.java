package io.lifeboat.cli.snapshot;

import picocli.CommandLine.Command;

@Command(
    name = "snapshot",
    description = "Take, inspect, restore, list, prune and verify etcd snapshots.",
    mixinStandardHelpOptions = true,
    subcommands = {
      SaveCommand.class, StatusCommand.class, RestoreCommand.class, ListCommand.class, DeleteCommand.class,
      PruneCommand.class, VerifyCommand.class
    })
public final class SnapshotCommand {}
