package dev.xenon.units;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSizeTest {

    @Test
    void megabytesAreBinaryAndPrintInTheLargestWholeUnit() {
        assertThat(DataSize.ofMegabytes(256).bytes()).isEqualTo(256L << 20);
        assertThat(DataSize.ofMegabytes(256)).hasToString("256MB");
        assertThat(DataSize.ofMegabytes(2048)).hasToString("2GB");
        assertThat(DataSize.ofBytes(4096)).hasToString("4kB");
        assertThat(DataSize.ofBytes(1500)).hasToString("1500B");
        assertThat(DataSize.ofBytes(0)).hasToString("0B");
    }

    @Test
    void aNegativeOrOverflowingSizeIsRefused() {
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> DataSize.ofMegabytes(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
