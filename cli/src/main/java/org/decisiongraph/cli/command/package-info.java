/** One class per {@code dg} subcommand; helpers live beside their only caller. */
package org.decisiongraph.cli.command;
