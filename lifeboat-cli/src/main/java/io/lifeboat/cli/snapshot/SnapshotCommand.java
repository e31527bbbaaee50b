package io.lifeboat.cli.snapshot;

import picocli.CommandLine.Command;

@Command(
    name = "snapshot",
    description = "Take, inspect and restore etcd snapshots.",
    mixinStandardHelpOptions = true,
    subcommands = {SaveCommand.class, StatusCommand.class, RestoreCommand.class})
public final class SnapshotCommand {}
