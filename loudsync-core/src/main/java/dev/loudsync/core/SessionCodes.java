package dev.loudsync.core;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;

/**
 * Session codes: short, random, easy to read aloud and to type on a phone.
 *
 * <p>A generated code has 6 characters from an alphabet without look-alikes (no {@code 0 O 1 I L}),
 * about 30 bits of entropy, and is shown as {@code A1B-2C3}. Session ids compare
 * case-insensitively, ignoring {@code -} and spaces, so {@code a1b-2c3} finds {@code A1B2C3}.
 */
public final class SessionCodes {

    /** The 31 characters generated codes are made of. */
    public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /** Length of a generated code, without separator. */
    public static final int LENGTH = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionCodes() {
    }

    /** A new random code such as {@code "K7M2QX"}, from {@link SecureRandom}. */
    public static String generate() {
        return generate(RANDOM);
    }

    /**
     * A new code drawn from {@code random}; for tests that need reproducible codes. A
     * {@link Random}, not a {@code RandomGenerator}: Android (API level 26) has no such interface.
     */
    public static String generate(Random random) {
        Objects.requireNonNull(random, "random");
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /**
     * The form session ids are compared in: upper case, without {@code -} and spaces.
     * {@code normalize("a1b-2c3")} is {@code "A1B2C3"}.
     */
    public static String normalize(String id) {
        StringBuilder sb = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c != '-' && c != ' ') {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * The display form of a code: a 6-character code is split by a dash ({@code A1B-2C3}); any other
     * id is returned normalized.
     */
    public static String display(String id) {
        String n = normalize(id);
        return n.length() == LENGTH ? n.substring(0, 3) + "-" + n.substring(3) : n;
    }
}
