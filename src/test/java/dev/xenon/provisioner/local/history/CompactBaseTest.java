package dev.xenon.provisioner.local.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CompactBaseTest {
    private static final String SEGMENT = "000000010000000000000004";

    @TempDir
    Path dir;

    @Test
    void filesLikeTheTemplatesAreSharedAndWalIsCompressedThenExpandedExactly() throws IOException {
        Path template = dir.resolve("template");
        Path base = dir.resolve("base");
        for (Path root : new Path[] {template, base}) {
            Files.createDirectories(root.resolve("base/1"));
            Files.createDirectories(root.resolve("pg_wal"));
            Files.writeString(root.resolve("base/1/1259"), "catalog pages");
            Files.writeString(root.resolve("PG_VERSION"), "17\n");
        }
        Files.writeString(base.resolve("global"), "only in the base");
        Files.writeString(base.resolve("PG_VERSION"), "changed\n");
        byte[] wal = new byte[16 << 20];
        new Random(3).ints(0, wal.length).limit(2_000).forEach(i -> wal[i] = 7);
        Files.write(base.resolve("pg_wal").resolve(SEGMENT), wal);

        CompactBase.compact(base, template);

        assertThat(Files.isSameFile(base.resolve("base/1/1259"), template.resolve("base/1/1259"))).isTrue();
        assertThat(Files.isSameFile(base.resolve("PG_VERSION"), template.resolve("PG_VERSION"))).isFalse();
        assertThat(Files.readString(base.resolve("PG_VERSION"))).isEqualTo("changed\n");
        assertThat(Files.readString(base.resolve("global"))).isEqualTo("only in the base");
        assertThat(base.resolve("pg_wal").resolve(SEGMENT)).doesNotExist();
        assertThat(Files.size(base.resolve("pg_wal").resolve(SEGMENT + ".gz"))).isLessThan(256 << 10);
        assertThat(CompactBase.hasCompressedWal(base)).isTrue();

        Path copy = Files.createDirectories(dir.resolve("copy/pg_wal"));
        Files.copy(base.resolve("pg_wal").resolve(SEGMENT + ".gz"), copy.resolve(SEGMENT + ".gz"));
        CompactBase.expand(copy, Optional.empty());
        assertThat(Files.readAllBytes(copy.resolve(SEGMENT))).isEqualTo(wal);
        assertThat(copy.resolve(SEGMENT + ".gz")).doesNotExist();
    }
}
