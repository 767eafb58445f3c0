import com.simplemodelapi.app.DemoModels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo ONNX tree ensemble (the graph the embedded demo seed stores as {@code iris-trees}) to a file, so
 * that bench/run can add it with {@code models add --file} against any database. Run as a single-file program:
 * {@code java -cp target/simple-model-api.jar bench/IrisTreesOnnx.java out.onnx}.
 */
public class IrisTreesOnnx {
    public static void main(String[] args) throws Exception {
        Files.write(Path.of(args[0]), DemoModels.irisTrees());
    }
}
