"""VGG-16, ResNet-v1-50 and an Inception-style block, written by us in slim's style.

`make_nets(tf)` defines them against `tf` (TF1 with contrib, or minitf), so the
`add_arg_scope` decorations are the backend's own. The variable names follow the
published slim networks (`vgg_16/conv1/conv1_1/weights`,
`resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/BatchNorm/moving_mean`), which
the tests check against tf-slim's own `nets`.
"""
import types


def make_nets(tf):
    slim = tf.contrib.slim

    def vgg_arg_scope(weight_decay=0.0005):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                            weights_regularizer=slim.l2_regularizer(weight_decay),
                            biases_initializer=tf.zeros_initializer()):
            with slim.arg_scope([slim.conv2d], padding="SAME") as scope:
                return scope

    def vgg_16(inputs, num_classes=1000, is_training=False, scope="vgg_16"):
        with tf.variable_scope(scope, "vgg_16", [inputs]) as sc:
            collection = sc.original_name_scope + "_end_points"
            with slim.arg_scope([slim.conv2d, slim.fully_connected, slim.max_pool2d],
                                outputs_collections=collection):
                net = inputs
                for i, (times, depth) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512),
                                                    (3, 512)], start=1):
                    net = slim.repeat(net, times, slim.conv2d, depth, [3, 3], scope=f"conv{i}")
                    net = slim.max_pool2d(net, [2, 2], scope=f"pool{i}")
                net = slim.conv2d(net, 4096, [7, 7], padding="VALID", scope="fc6")
                net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout6")
                net = slim.conv2d(net, 4096, [1, 1], scope="fc7")
                net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout7")
                net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                  normalizer_fn=None, scope="fc8")
                end_points = slim.utils.convert_collection_to_dict(collection)
                net = tf.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
                return net, end_points

    def resnet_arg_scope(weight_decay=0.0001):
        bn = {"decay": 0.997, "epsilon": 1e-5, "scale": True,
              "updates_collections": tf.GraphKeys.UPDATE_OPS, "fused": None}
        with slim.arg_scope([slim.conv2d],
                            weights_regularizer=slim.l2_regularizer(weight_decay),
                            weights_initializer=slim.variance_scaling_initializer(),
                            activation_fn=tf.nn.relu, normalizer_fn=slim.batch_norm,
                            normalizer_params=bn):
            with slim.arg_scope([slim.batch_norm], **bn):
                with slim.arg_scope([slim.max_pool2d], padding="SAME") as scope:
                    return scope

    def conv2d_same(inputs, num_outputs, kernel_size, stride, scope=None):
        """Stride-2 convs pad explicitly so the output does not depend on the input size."""
        if stride == 1:
            return slim.conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                               scope=scope)
        pad_total = kernel_size - 1
        begin, end = pad_total // 2, pad_total - pad_total // 2
        inputs = tf.pad(inputs, [[0, 0], [begin, end], [begin, end], [0, 0]])
        return slim.conv2d(inputs, num_outputs, kernel_size, stride=stride, padding="VALID",
                           scope=scope)

    @slim.add_arg_scope
    def bottleneck(inputs, depth, depth_bottleneck, stride, outputs_collections=None,
                   scope=None):
        with tf.variable_scope(scope, "bottleneck_v1", [inputs]) as sc:
            depth_in = slim.utils.last_dimension(inputs.get_shape()
                                                 if hasattr(inputs, "get_shape")
                                                 else inputs.shape, min_rank=4)
            if depth == depth_in:
                shortcut = (inputs if stride == 1 else
                            slim.max_pool2d(inputs, [1, 1], stride=stride, scope="shortcut"))
            else:
                shortcut = slim.conv2d(inputs, depth, [1, 1], stride=stride,
                                       activation_fn=None, scope="shortcut")
            residual = slim.conv2d(inputs, depth_bottleneck, [1, 1], stride=1, scope="conv1")
            residual = conv2d_same(residual, depth_bottleneck, 3, stride, scope="conv2")
            residual = slim.conv2d(residual, depth, [1, 1], stride=1, activation_fn=None,
                                   scope="conv3")
            output = tf.nn.relu(shortcut + residual)
            return slim.utils.collect_named_outputs(outputs_collections, sc.name, output)

    @slim.add_arg_scope
    def stack_blocks(net, blocks, outputs_collections=None):
        for name, base_depth, units, stride in blocks:
            with tf.variable_scope(name, "block", [net]) as sc:
                for i in range(units):
                    with tf.variable_scope("unit_%d" % (i + 1), values=[net]):
                        net = bottleneck(net, depth=base_depth * 4, depth_bottleneck=base_depth,
                                         stride=stride if i == units - 1 else 1)
                net = slim.utils.collect_named_outputs(outputs_collections, sc.name, net)
        return net

    def resnet_v1_50(inputs, num_classes=1000, is_training=False, scope="resnet_v1_50"):
        blocks = [("block1", 64, 3, 2), ("block2", 128, 4, 2), ("block3", 256, 6, 2),
                  ("block4", 512, 3, 1)]
        with tf.variable_scope(scope, "resnet_v1", [inputs]) as sc:
            collection = sc.original_name_scope + "_end_points"
            with slim.arg_scope([slim.conv2d, bottleneck, stack_blocks],
                                outputs_collections=collection):
                with slim.arg_scope([slim.batch_norm], is_training=is_training):
                    net = conv2d_same(inputs, 64, 7, stride=2, scope="conv1")
                    net = slim.max_pool2d(net, [3, 3], stride=2, scope="pool1")
                    net = stack_blocks(net, blocks)
                    net = tf.reduce_mean(net, [1, 2], name="pool5", keepdims=True)
                    net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                      normalizer_fn=None, scope="logits")
                    end_points = slim.utils.convert_collection_to_dict(collection)
                    end_points["predictions"] = slim.softmax(net, scope="predictions")
                    return net, end_points

    def inception_block(net, is_training=True, scope="Mixed_5b"):
        """An Inception-v3-style block: four branches, batch norm, concatenated channels."""
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": is_training, "scale": True}):
            with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                                padding="SAME"):
                with tf.variable_scope(scope):
                    with tf.variable_scope("Branch_0"):
                        b0 = slim.conv2d(net, 8, [1, 1], scope="Conv2d_0a_1x1")
                    with tf.variable_scope("Branch_1"):
                        b1 = slim.stack(net, slim.conv2d, [(6, [1, 1]), (8, [5, 5])],
                                        scope="Conv2d")
                    with tf.variable_scope("Branch_2"):
                        b2 = slim.repeat(net, 2, slim.conv2d, 6, [3, 3], scope="Conv2d_3x3")
                    with tf.variable_scope("Branch_3"):
                        b3 = slim.avg_pool2d(net, [3, 3], scope="AvgPool_0a_3x3")
                        b3 = slim.conv2d(b3, 4, [1, 1], scope="Conv2d_0b_1x1")
                    return tf.concat(axis=3, values=[b0, b1, b2, b3])

    return types.SimpleNamespace(vgg_arg_scope=vgg_arg_scope, vgg_16=vgg_16,
                                 resnet_arg_scope=resnet_arg_scope, resnet_v1_50=resnet_v1_50,
                                 inception_block=inception_block)
