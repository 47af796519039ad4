package dev.xenon.provisioner.local.postgres;

import dev.xenon.provisioner.local.PgTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OsUserTest {
    @TempDir
    Path temp;

    @Test
    void wrapsCommandsWithSetpriv() {
        OsUser user = new OsUser("pg", 101, 104);
        assertThat(user.wrap(List.of("postgres", "-D", "/data")))
                .containsExactly("setpriv", "--reuid=101", "--regid=104", "--init-groups", "--", "postgres", "-D", "/data");
    }

    @Test
    void refusesRoot() {
        assertThatThrownBy(() -> new OsUser("root", 0, 0)).hasMessageContaining("root");
    }

    @Test
    void resolvesOnlyWhenRoot() {
        Optional<OsUser> resolved = OsUser.resolveWhenRoot(null);
        if (OsUser.currentUid() != 0) {
            assertThat(resolved).isEmpty();
            assertThat(OsUser.resolveWhenRoot("whatever")).isEmpty();
            return;
        }
        String expected = OsUser.lookup("postgres").isPresent() ? "postgres" : "nobody";
        assertThat(resolved).get().extracting(OsUser::name).isEqualTo(expected);
        assertThat(resolved.get().uid()).isNotZero();
        assertThat(OsUser.resolveWhenRoot("nobody")).get().extracting(OsUser::name).isEqualTo("nobody");
        assertThatThrownBy(() -> OsUser.resolveWhenRoot("no-such-account-xenon"))
                .hasMessageContaining("no-such-account-xenon");
    }

    @Test
    void namesTheDirectoryItCannotEnter() throws IOException {
        OsUser user = rootOnlyUser();
        Path open = PgTestSupport.traversable(temp).resolve("open");
        Path closed = open.resolve("closed");
        Files.createDirectories(closed.resolve("inner"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));

        assertThat(user.firstUntraversable(open.resolve("not-yet/created"))).isEmpty();
        assertThat(user.firstUntraversable(closed.resolve("inner"))).contains(closed.toRealPath());
        assertThatThrownBy(() -> user.requireTraversable(closed.resolve("inner")))
                .hasMessageContaining(closed.toRealPath().toString())
                .hasMessageContaining(user.name());

        // Owning a directory is enough, whatever "other" may do.
        user.chown(closed);
        assertThat(user.firstUntraversable(closed.resolve("inner"))).isEmpty();
    }

    @Test
    void chownsTreesWithoutFollowingLinks() throws IOException {
        OsUser user = rootOnlyUser();
        Path outside = Files.createFile(temp.resolve("outside"));
        Path tree = Files.createDirectories(temp.resolve("tree/sub"));
        Files.createFile(tree.resolve("file"));
        Files.createSymbolicLink(tree.resolve("link"), outside);

        user.chown(temp.resolve("tree"));

        for (Path p : List.of(temp.resolve("tree"), tree, tree.resolve("file"), tree.resolve("link"))) {
            assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(user.uid());
            assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(user.gid());
        }
        assertThat(Files.getAttribute(outside, "unix:uid")).isEqualTo(0);
    }

    private static OsUser rootOnlyUser() {
        Optional<OsUser> user = OsUser.resolveWhenRoot(null);
        assumeTrue(user.isPresent(), "needs root");
        return user.get();
    }
}
