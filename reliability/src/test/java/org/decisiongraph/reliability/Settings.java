package org.decisiongraph.reliability;

/** The suite's knobs (system properties set by the pom; {@code -Pnightly} raises them). */
final class Settings {
    private Settings() {
    }

    static int cycles() {
        return Integer.getInteger("reliability.cycles", 20);
    }

    static int soakSeconds() {
        return Integer.getInteger("reliability.soak.seconds", 25);
    }

    static int soakRate() {
        return Integer.getInteger("reliability.soak.rate", 200);
    }

    static long seed() {
        return Long.getLong("reliability.fuzz.seed", 20261125L);
    }

    static String profile() {
        return System.getProperty("reliability.profile", "ci");
    }
}
