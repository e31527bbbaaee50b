package io.lifeboat.cli.snapshot;

import picocli.CommandLine.Command;

@Command(
    name = "snapshot",
    description = "Take and inspect etcd snapshots.",
    mixinStandardHelpOptions = true,
    subcommands = {SaveCommand.class, StatusCommand.class})
public final class SnapshotCommand {}
