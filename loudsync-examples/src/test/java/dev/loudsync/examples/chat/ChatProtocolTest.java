package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.examples.chat.ChatTestHost.User;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat's wire contract over real sockets, on an SQLite file; {@link ChatOnPostgresTest} runs
 * the same on PostgreSQL.
 */
class ChatProtocolTest {

    @TempDir
    Path dir;

    ChatTestHost host;
    User ann;
    User bob;
    String room;

    /** The database the chat runs on. */
    ChatTestHost newHost() {
        return new ChatTestHost("jdbc:sqlite:" + dir.resolve("chat.db"), null, null);
    }

    @BeforeEach
    void start() {
        host = newHost();
        ann = host.login("Ann");
        bob = host.login("Bob");
        room = host.createRoom(ann, "Lobby");
    }

    @AfterEach
    void stop() {
        if (host != null) { // null when the test was skipped before starting (no PostgreSQL)
            host.close();
        }
    }

    @Test
    void join_welcomeMemberListThenHistory_withTheNameFromTheToken() {
        host.post(ann, room, "before anyone came");
        ChatGuest a = host.sendJoin(room, ann.device("t1"), ann.token());
        assertThat(a.nextPayload("WELCOME").path("sessionId").asText()).isEqualTo(room);
        JsonNode members = a.nextPayload("MEMBER_LIST").path("members");
        assertThat(members).hasSize(1);
        assertThat(members.get(0).path("name").asText()).as("the token's name, not the JOIN's").isEqualTo("Ann");
        JsonNode history = a.nextPayload("HISTORY").path("messages");
        assertThat(history).hasSize(1);
        JsonNode m = history.get(0);
        assertThat(m.path("text").asText()).isEqualTo("before anyone came");
        assertThat(m.path("roomId").asText()).isEqualTo(room);
        assertThat(m.path("userId").asText()).isEqualTo(ann.userId());
        assertThat(m.path("userName").asText()).isEqualTo("Ann");
        assertThat(m.path("id").isIntegralNumber()).isTrue();
        assertThat(m.path("createdAt").asLong()).isGreaterThan(0);

        ChatGuest b = host.sendJoin(room, bob.userId(), bob.token());
        b.next("WELCOME");
        b.next("MEMBER_LIST");
        assertThat(b.nextPayload("HISTORY").path("messages")).hasSize(1);
        assertThat(a.nextPayload("MEMBER_JOINED").at("/member/name").asText()).isEqualTo("Bob");
    }

    @Test
    void history_isTheLast50_oldestFirst() {
        for (int i = 1; i <= 55; i++) {
            assertThat(host.post(bob, room, "m" + i).status()).isEqualTo(201);
        }
        ChatGuest a = host.sendJoin(room, ann.device("t1"), ann.token());
        JsonNode history = a.joined();
        List<String> texts = new ArrayList<>();
        history.forEach(m -> texts.add(m.path("text").asText()));
        assertThat(texts).hasSize(50);
        assertThat(texts.get(0)).isEqualTo("m6");
        assertThat(texts.get(49)).isEqualTo("m55");
    }

    @Test
    void joinWithoutToken_orForged_orExpired_orForAnotherUsersDevice_isRefused4501() {
        ChatTokens otherKey = new ChatTokens(HexFormat.of().parseHex("00".repeat(32)), ChatTokens.DEFAULT_TTL);
        String forged = otherKey.issue(new ChatUser(ann.userId(), "Ann"), Instant.now());
        String[] parts = ann.token().split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        String expired = host.app.tokens().issue(new ChatUser(ann.userId(), "Ann"),
                Instant.now().minus(ChatTokens.DEFAULT_TTL).minus(Duration.ofMinutes(1)));
        record Case(String deviceId, String token, String message) {
        }
        List<Case> cases = List.of(
                new Case(ann.device("t"), null, "Sign in first: JOIN.auth carries the token"),
                new Case(ann.device("t"), forged, "Invalid or expired token"),
                new Case(ann.device("t"), tampered, "Invalid or expired token"),
                new Case(ann.device("t"), "not a token", "Invalid or expired token"),
                new Case(ann.device("t"), expired, "Invalid or expired token"),
                new Case(bob.device("t"), ann.token(), "deviceId must be the token's userId, or start with it and ':'"),
                new Case(ann.userId() + "x", ann.token(), "deviceId must be the token's userId, or start with it and ':'"));
        for (Case c : cases) {
            ChatGuest g = host.sendJoin(room, c.deviceId(), c.token());
            JsonNode error = g.nextPayload("ERROR");
            assertThat(error.path("code").asText()).as("%s", c).isEqualTo("UNAUTHORIZED");
            assertThat(error.path("message").asText()).as("%s", c).isEqualTo(c.message());
            assertThat(g.closeFrame().code()).as("%s", c).isEqualTo(4501);
        }
        assertThat(host.app.server().session(room).orElseThrow().members()).isEmpty();
    }

    @Test
    void sendMessage_isStoredThenSentToEveryoneSenderIncluded_beforeTheAck() {
        ChatGuest a = host.join(room, ann, "t1");
        ChatGuest b = host.join(room, bob, "t1");
        a.next("MEMBER_JOINED");

        String id = a.sendMessage("  hello there  ");
        JsonNode mine = a.nextPayload("NEW_MESSAGE");
        JsonNode ack = a.nextPayload("ACK");
        assertThat(ack.path("replyTo").asText()).isEqualTo(id);
        long messageId = ack.at("/result/messageId").asLong();
        assertThat(mine.path("id").asLong()).isEqualTo(messageId);
        assertThat(mine.path("text").asText()).as("trimmed").isEqualTo("hello there");
        assertThat(mine.path("userId").asText()).isEqualTo(ann.userId());
        assertThat(mine.path("userName").asText()).isEqualTo("Ann");
        assertThat(mine.path("roomId").asText()).isEqualTo(room);
        assertThat(b.nextPayload("NEW_MESSAGE")).isEqualTo(mine);

        JsonNode history = host.sendJoin(room, bob.device("t2"), bob.token()).joined();
        assertThat(history).as("stored before the ACK").hasSize(1);
        assertThat(history.get(0)).isEqualTo(mine);
    }

    @Test
    void sendMessage_blank_tooLong_orWithoutText_isRefusedWithReplyTo_andNothingIsSent() {
        ChatGuest a = host.join(room, ann, "t1");
        ChatGuest b = host.join(room, bob, "t1");
        a.next("MEMBER_JOINED");
        for (String text : new String[] {"   ", "x".repeat(1001), null}) {
            String id = text == null ? a.request("SEND_MESSAGE", ChatGuest.JSON.createObjectNode())
                    : a.sendMessage(text);
            JsonNode error = a.nextPayload("ERROR");
            assertThat(error.path("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(error.path("replyTo").asText()).isEqualTo(id);
        }
        String longest = "é".repeat(1000); // characters, not bytes
        a.sendMessage(" " + longest + " ");
        assertThat(b.nextPayload("NEW_MESSAGE").path("text").asText()).as("the first thing b gets").isEqualTo(longest);
    }

    @Test
    void typing_goesToTheOthers_stopTypingClearsIt() {
        ChatGuest a = host.join(room, ann, "t1");
        ChatGuest b = host.join(room, bob, "t1");
        a.next("MEMBER_JOINED");
        String id = a.request("TYPING", ChatGuest.JSON.createObjectNode());
        assertThat(a.nextPayload("ACK").path("replyTo").asText()).isEqualTo(id);
        JsonNode typing = b.nextPayload("USER_TYPING");
        assertThat(typing.path("userId").asText()).isEqualTo(ann.userId());
        assertThat(typing.path("userName").asText()).isEqualTo("Ann");
        a.request("STOP_TYPING", ChatGuest.JSON.createObjectNode());
        a.next("ACK");
        assertThat(b.nextPayload("USER_STOPPED_TYPING").path("userId").asText()).isEqualTo(ann.userId());
        a.sendMessage("done");
        a.next("NEW_MESSAGE");
        a.next("ACK");
        assertThat(b.nextPayload("NEW_MESSAGE").path("text").asText())
                .as("the sender got no typing news of its own, and b no second stop").isEqualTo("done");
    }

    @Test
    void typing_isClearedByTheHostAfterTheTimeout_byAMessage_andWhenTheTypistLeaves() {
        ChatGuest a = host.join(room, ann, "t1");
        ChatGuest b = host.join(room, bob, "t1");
        a.next("MEMBER_JOINED");

        a.send("TYPING", ChatGuest.JSON.createObjectNode(), null);
        b.next("USER_TYPING");
        assertThat(b.nextPayload("USER_STOPPED_TYPING").path("userId").asText()).as("after the timeout")
                .isEqualTo(ann.userId());

        a.send("TYPING", ChatGuest.JSON.createObjectNode(), null);
        b.next("USER_TYPING");
        a.sendMessage("sent");
        assertThat(b.nextPayload("USER_STOPPED_TYPING").path("userId").asText()).isEqualTo(ann.userId());
        b.next("NEW_MESSAGE");

        a.send("TYPING", ChatGuest.JSON.createObjectNode(), null);
        b.next("USER_TYPING");
        a.leave();
        b.next("MEMBER_LEFT");
        b.next("HOST_CHANGED"); // Ann, the first in, was the host
        assertThat(b.nextPayload("USER_STOPPED_TYPING").path("userId").asText()).isEqualTo(ann.userId());
        assertThat(b.poll(1)).as("one stop only, though the timeout passed too").isNull();
    }

    @Test
    void apiPost_isStoredBeforeItsAnswer_andSentToTheRoom() {
        ChatGuest a = host.join(room, ann, "t1");
        ChatTestHost.Answer answer = host.post(bob, room, "from the server");
        assertThat(answer.status()).isEqualTo(201);
        JsonNode live = a.nextPayload("NEW_MESSAGE");
        assertThat(live.path("text").asText()).isEqualTo("from the server");
        assertThat(live.path("userName").asText()).isEqualTo("Bob");
        assertThat(answer.body().path("messageId").asLong()).isEqualTo(live.path("id").asLong());
        assertThat(answer.body().path("message")).isEqualTo(live);
        JsonNode history = host.sendJoin(room, bob.device("t1"), bob.token()).joined();
        assertThat(history).containsExactly(live);
    }

    @Test
    void roomWhoseSessionClosedWhileEmpty_opensAgainOnJoin_andAnUnknownRoomIsNotFound() throws Exception {
        ChatGuest a = host.join(room, ann, "t1");
        a.sendMessage("still here later");
        a.next("NEW_MESSAGE");
        a.next("ACK");
        a.leave();
        assertThat(a.closeFrame().code()).isEqualTo(1000);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (host.app.server().session(room).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50); // the empty timeout is 1 s here
        }
        assertThat(host.app.server().session(room)).as("closed while empty").isEmpty();

        ChatGuest b = host.sendJoin(room.toUpperCase(java.util.Locale.ROOT), bob.device("t1"), bob.token());
        assertThat(b.nextPayload("WELCOME").path("hostId").asText()).isEqualTo(bob.device("t1"));
        b.next("MEMBER_LIST");
        JsonNode history = b.nextPayload("HISTORY").path("messages");
        assertThat(history).extracting(m -> m.path("text").asText()).containsExactly("still here later");
        assertThat(host.app.server().session(room)).isPresent();

        ChatGuest nowhere = host.sendJoin("nosuchroom", bob.device("t2"), bob.token());
        assertThat(nowhere.nextPayload("ERROR").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(nowhere.closeFrame().code()).isEqualTo(4500);
    }
}
