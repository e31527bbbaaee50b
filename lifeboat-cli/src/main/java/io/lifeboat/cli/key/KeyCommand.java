package io.lifeboat.cli.key;

import picocli.CommandLine.Command;

@Command(
    name = "key",
    description = "Manage snapshot encryption keys.",
    mixinStandardHelpOptions = true,
    subcommands = {GenerateKeyCommand.class})
public final class KeyCommand {}
