package io.lifeboat.cli.snapshot;

import picocli.CommandLine.Command;

@Command(
    name = "snapshot",
    description = "Inspect etcd snapshots.",
    mixinStandardHelpOptions = true,
    subcommands = {StatusCommand.class})
public final class SnapshotCommand {}
