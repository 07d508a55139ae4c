package dev.loudsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionCodesTest {

    @Test
    void generatedCodes_areSixCharactersFromTheUnambiguousAlphabet() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String code = SessionCodes.generate();
            assertThat(code).hasSize(6).matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}");
            seen.add(code);
        }
        assertThat(seen.size()).isGreaterThan(1_990); // 31^6 ~ 887 million codes
        assertThat(SessionCodes.ALPHABET).doesNotContain("0", "O", "1", "I", "L");
    }

    @Test
    void everyAlphabetCharacter_isUsed() {
        Set<Character> used = new HashSet<>();
        Random random = new Random(1);
        for (int i = 0; i < 1_000; i++) {
            for (char c : SessionCodes.generate(random).toCharArray()) {
                used.add(c);
            }
        }
        assertThat(used).hasSize(SessionCodes.ALPHABET.length());
    }

    @Test
    void normalize_upperCasesAndDropsDashesAndSpaces() {
        assertThat(SessionCodes.normalize("a1b-2c3")).isEqualTo("A1B2C3");
        assertThat(SessionCodes.normalize(" A1B 2C3 ")).isEqualTo("A1B2C3");
        assertThat(SessionCodes.normalize("party-room")).isEqualTo("PARTYROOM");
    }

    @Test
    void display_splitsASixCharacterCode() {
        assertThat(SessionCodes.display("a1b2c3")).isEqualTo("A1B-2C3");
        assertThat(SessionCodes.display("party-room")).isEqualTo("PARTYROOM");
    }
}
